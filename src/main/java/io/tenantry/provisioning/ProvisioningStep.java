package io.tenantry.provisioning;

import java.util.Locale;

/** The named steps of provisioning a tenant, in the order they run (docs/tenants.md#provisioning). */
public enum ProvisioningStep {
  TENANT_ROW,
  HOME,
  MIGRATIONS,
  CONFIGURATION,
  COLLECTIONS,
  SEED_RECORDS,
  PLAN,
  FIRST_ADMIN,
  ACTIVATE;

  public String sql() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The step's 1-based position, which orders the rows in platform.provisioning_steps. */
  public int position() {
    return ordinal() + 1;
  }

  public static ProvisioningStep parse(String name) {
    for (ProvisioningStep step : values()) {
      if (step.sql().equals(name)) {
        return step;
      }
    }
    return null;
  }

  /** Whether the step has nothing to do for this tenant, decided once when the job is made. */
  boolean skippedFor(ProvisioningSpec spec, io.tenantry.tenant.Isolation isolation) {
    return switch (this) {
      case HOME, MIGRATIONS -> isolation == io.tenantry.tenant.Isolation.SHARED;
      case CONFIGURATION -> spec.config().isEmpty();
      case COLLECTIONS -> spec.collections().isEmpty();
      case SEED_RECORDS -> spec.collections().stream().allMatch(c -> c.records().isEmpty());
      case PLAN -> spec.plan() == null;
      case FIRST_ADMIN -> spec.adminEmail() == null;
      case TENANT_ROW, ACTIVATE -> false;
    };
  }
}
