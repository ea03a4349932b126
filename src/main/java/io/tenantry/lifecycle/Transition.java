package io.tenantry.lifecycle;

import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The lifecycle moves an admin can ask for, and the states each starts from (docs/tenants.md#lifecycle). */
enum Transition {
  ARCHIVE(EnumSet.of(Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)),
  DELETE(EnumSet.of(Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED, Tenant.Status.ARCHIVED)),
  RESTORE(EnumSet.of(Tenant.Status.ARCHIVED, Tenant.Status.DELETED));

  private final Set<Tenant.Status> from;

  Transition(Set<Tenant.Status> from) {
    this.from = from;
  }

  boolean allowedFrom(Tenant.Status status) {
    return from.contains(status);
  }

  /** The 409 for a tenant whose state does not allow this move: what it is, and what the move needs. */
  Problem refused(Tenant tenant) {
    String allowed = from.stream().map(Tenant.Status::sql).collect(Collectors.joining(" or "));
    return Problem.of(409, "illegal-transition", "Illegal lifecycle transition",
      "tenant '" + tenant.slug() + "' is " + tenant.status().sql() + "; " + verb() + " is allowed only from " + allowed);
  }

  String verb() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
