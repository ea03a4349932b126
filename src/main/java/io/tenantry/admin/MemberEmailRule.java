package io.tenantry.admin;

import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;

/** Whether an e-mail may be added to or invited into a tenant; fails with the problem to answer when it may not. */
@FunctionalInterface
public interface MemberEmailRule {
  MemberEmailRule ANY = (tenant, email) -> Future.succeededFuture();

  Future<Void> check(Tenant tenant, String email);
}
