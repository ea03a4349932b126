package io.tenantry.tenant;

import java.util.UUID;

/** Host names mapped to tenants besides {@code <slug>.<base domain>}: answered from memory, never from SQL. */
@FunctionalInterface
public interface HostTenants {
  HostTenants NONE = host -> null;

  /** @param host lower-case, without port or trailing dot; @return the tenant's id, or null */
  UUID tenantOf(String host);
}
