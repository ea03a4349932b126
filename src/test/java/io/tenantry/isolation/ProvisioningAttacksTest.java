package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin tries to read and retry B's provisioning (another root) by every name of B, and through its own
 * tenant's routes with B named in the data plane's headers: every attempt gets the answer an unknown tenant gets, and
 * reveals no step of B's; B's member is refused too; both tenants stay active with their records.
 */
class ProvisioningAttacksTest extends AttackSuite {
  private static final String[] MOVES = {"get", "retry"};

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotReadOrRetryAnotherTenantsProvisioning(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (String move : MOVES) {
      String unknown = assertProblem(attempt(move, "no-such-tenant-" + p.slugPrefix(), a.adminToken(), null), 403)
        .getString("detail");
      for (String name : List.of(b.slug(), b.id().toString(), b.slug().toUpperCase(), b.slug() + "%20")) {
        HttpResponse<Buffer> r = attempt(move, name, a.adminToken(), null);
        assertThat(r.statusCode()).as("%s %s", move, name).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("detail")).as("%s %s", move, name).isEqualTo(unknown);
        assertThat(r.bodyAsString()).doesNotContain("\"steps\"");
        AttackWorld.assertNoLeak(r, b);
      }
      HttpResponse<Buffer> headers = attempt(move, a.slug(), a.adminToken(), b.id().toString());
      assertThat(headers.statusCode()).as(move + " with headers").isEqualTo(403);
      AttackWorld.assertNoLeak(headers, b);
      assertProblem(attempt(move, b.slug(), b.memberToken(), null), 403);
    }
    assertThat(world.ts.api.get("/admin/v1/tenants/" + b.slug(), world.superAdmin).bodyAsJsonObject().getString("status"))
      .isEqualTo("active");
    world.assertUnchanged(b);
    world.assertUnchanged(a);
    world.assertOnlyOwn(world.ts.api.get(NOTES + "?limit=500", a.memberToken()), a);
  }

  private HttpResponse<Buffer> attempt(String move, String name, String token, String tenantHeader) {
    String path = "/admin/v1/tenants/" + name + "/provisioning";
    HttpRequest<Buffer> request = move.equals("get")
      ? world.ts.api.request(HttpMethod.GET, path, token)
      : world.ts.api.request(HttpMethod.POST, path + "/retry", token);
    if (tenantHeader != null) {
      request.putHeader("X-Tenant-ID", tenantHeader);
    }
    return world.ts.api.send(request);
  }
}
