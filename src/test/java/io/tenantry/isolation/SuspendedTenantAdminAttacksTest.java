package io.tenantry.isolation;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A is suspended; its tenant_admin still holds a token issued before. Suspension must stop every write through the
 * admin routes as it stops the data plane: only a super-admin changes a suspended tenant.
 */
class SuspendedTenantAdminAttacksTest extends AttackSuite {
  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aSuspendedTenantsAdminCannotWriteWithAnOlderToken(Pairing p) {
    Side a = world.a(p);
    String tenant = "/admin/v1/tenants/" + a.slug();
    assertThat(world.ts.api.post(tenant + "/suspend", world.superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    try {
      String newcomer = "late-" + p.slugPrefix() + "@" + a.slug() + ".test";
      assertProblem(world.ts.api.post(tenant + "/users", a.adminToken(), new JsonObject()
        .put("email", newcomer).put("password", "newcomer-password-1").put("role", "tenant_admin")), 403);
      assertProblem(world.ts.api.post(tenant + "/users", a.adminToken(), new JsonObject()
        .put("email", newcomer).put("role", "tenant_admin")), 403);
      assertProblem(world.ts.api.post(tenant + "/resume", a.adminToken(), new JsonObject()), 403);
      assertProblem(world.ts.api.send(world.ts.api.request(HttpMethod.PUT, tenant + "/limits", a.adminToken()),
        new JsonObject().put("rate", 1_000_000).put("burst", 1_000_000)), 403);
      assertProblem(world.ts.api.delete(tenant, a.adminToken(), null), 403);
      assertProblem(world.ts.api.post(NOTES, a.adminToken(), new JsonObject().put("x", 1)), 403);
      assertThat(world.ts.api.post("/auth/token", null, new JsonObject().put("email", newcomer)
        .put("password", "newcomer-password-1").put("tenant", a.slug())).statusCode()).isEqualTo(401);
    } finally {
      assertThat(world.ts.api.post(tenant + "/resume", world.superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    }
    world.assertUnchanged(a);
    world.assertUnchanged(world.b(p));
  }
}
