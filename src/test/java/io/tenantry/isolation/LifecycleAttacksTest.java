package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin tries to archive, delete and restore B (another root) by every name of B, and by its own
 * tenant's routes with B named in a header: every attempt is refused with the answer an unknown tenant gets, B stays
 * active and serving its records, and A's own notes are still there.
 */
class LifecycleAttacksTest extends AttackSuite {
  private static final String[] MOVES = {"archive", "restore", "delete"};

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotArchiveDeleteOrRestoreAnotherTenant(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (String move : MOVES) {
      String unknown = assertProblem(attempt(move, "no-such-tenant-" + p.slugPrefix(), a.adminToken(), null, null), 403)
        .getString("detail");
      for (String name : List.of(b.slug(), b.id().toString(), b.slug().toUpperCase(), b.slug() + "%20")) {
        HttpResponse<Buffer> r = attempt(move, name, a.adminToken(), null, null);
        assertThat(r.statusCode()).as("%s %s", move, name).isEqualTo(403);
        assertThat(r.bodyAsJsonObject().getString("detail")).as("%s %s", move, name).isEqualTo(unknown);
        AttackWorld.assertNoLeak(r, b);
      }
      // B named by the data plane's headers on A's own route: still A's route, and A's admin cannot move A
      HttpResponse<Buffer> headers = attempt(move, a.slug(), a.adminToken(), b.id().toString(),
        b.slug() + "." + world.ts.config.baseDomain());
      assertThat(headers.statusCode()).as(move + " with headers").isEqualTo(403);
      AttackWorld.assertNoLeak(headers, b);
      // and B's member is no admin at all
      assertProblem(attempt(move, b.slug(), b.memberToken(), null, null), 403);
    }
    assertThat(world.ts.api.get("/admin/v1/tenants/" + b.slug(), world.superAdmin).bodyAsJsonObject().getString("status"))
      .isEqualTo("active");
    assertThat(world.ts.api.get("/admin/v1/tenants/" + a.slug(), world.superAdmin).bodyAsJsonObject().getString("status"))
      .isEqualTo("active");
    world.assertUnchanged(b);
    world.assertUnchanged(a);
    world.assertOnlyOwn(world.ts.api.get(NOTES + "?limit=500", a.memberToken()), a);
  }

  private HttpResponse<Buffer> attempt(String move, String name, String token, String tenantHeader, String host) {
    String path = "/admin/v1/tenants/" + name;
    HttpRequest<Buffer> request = move.equals("delete")
      ? world.ts.api.request(HttpMethod.DELETE, path, token)
      : world.ts.api.request(HttpMethod.POST, path + "/" + move, token);
    if (tenantHeader != null) {
      request.putHeader("X-Tenant-ID", tenantHeader);
    }
    if (host != null) {
      request.putHeader("Host", host);
    }
    return move.equals("delete") ? world.ts.api.send(request) : world.ts.api.send(request, new JsonObject());
  }
}
