package io.tenantry.isolation;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;

import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin and member go after B's audit log: list, export (both ways) and verify, through every spelling of
 * B's slug and with tenant headers naming B or A, and with a cursor of B's list on A's. Every attempt is refused
 * without a word of B's; A's own log holds A's entries only — its record writes are there, none of B's.
 */
class AuditAttacksTest extends AttackSuite {

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantCannotReadExportOrVerifyAnothersAuditLog(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (String spelling : spellings(b)) {
      for (String[] header : headerSets(a, b)) {
        for (String token : List.of(a.adminToken(), a.memberToken())) {
          for (String suffix : List.of("", "/export", "/verify", "?action=record.*", "?limit=500")) {
            HttpResponse<Buffer> r = send("/admin/v1/tenants/" + spelling + "/audit" + suffix, token, header, null);
            assertThat(r.statusCode()).as("%s%s with %s", spelling, suffix, String.join("=", header)).isIn(400, 403, 404);
            assertNoLeak(r, b);
          }
          HttpResponse<Buffer> ndjson = send("/admin/v1/tenants/" + spelling + "/audit", token, header, "application/x-ndjson");
          assertThat(ndjson.statusCode()).isIn(400, 403, 404);
          assertNoLeak(ndjson, b);
        }
      }
    }

    // B's cursor (read by the super-admin) does not page A's list, nor B's for A.
    String bCursor = world.ts.api.get("/admin/v1/tenants/" + b.slug() + "/audit?limit=1", world.superAdmin)
      .bodyAsJsonObject().getString("next_cursor");
    assertThat(bCursor).isNotNull();
    HttpResponse<Buffer> crossed = world.ts.api.get("/admin/v1/tenants/" + a.slug() + "/audit?cursor=" + bCursor, a.adminToken());
    assertThat(crossed.statusCode()).isEqualTo(400);
    assertNoLeak(crossed, b);

    // A's own log: A's record writes, every entry A's, nothing of B's, whichever way it is read.
    HttpResponse<Buffer> own = world.ts.api.get("/admin/v1/tenants/" + a.slug() + "/audit?action=record.create&limit=500", a.adminToken());
    assertThat(own.statusCode()).isEqualTo(200);
    JsonArray items = own.bodyAsJsonObject().getJsonArray("items");
    assertThat(items.size()).isGreaterThanOrEqualTo(4);
    items.forEach(item -> assertThat(((JsonObject) item).getString("tenant_id")).isEqualTo(a.id().toString()));
    a.noteIds().forEach(id -> assertThat(own.bodyAsString()).contains("notes/" + id));
    assertNoLeak(own, b);
    HttpResponse<Buffer> export = world.ts.api.get("/admin/v1/tenants/" + a.slug() + "/audit/export", a.adminToken());
    assertThat(export.statusCode()).isEqualTo(200);
    a.noteIds().forEach(id -> assertThat(export.bodyAsString()).contains("notes/" + id));
    assertNoLeak(export, b);
    HttpResponse<Buffer> verify = world.ts.api.get("/admin/v1/tenants/" + a.slug() + "/audit/verify", a.adminToken());
    assertThat(verify.bodyAsJsonObject().getBoolean("intact")).isTrue();
    assertNoLeak(verify, b);

    // B's log is B's and intact.
    HttpResponse<Buffer> bVerify = world.ts.api.get("/admin/v1/tenants/" + b.slug() + "/audit/verify", b.adminToken());
    assertThat(bVerify.bodyAsJsonObject().getBoolean("intact")).isTrue();
    assertThat(bVerify.bodyAsJsonObject().getLong("entries")).isGreaterThanOrEqualTo(4);
    world.assertUnchanged(a);
    world.assertUnchanged(b);
  }

  /** B's slug as written by an attacker, as in the other admin-route attacks. */
  private static List<String> spellings(Side b) {
    return List.of(b.slug(), b.slug().toUpperCase(Locale.ROOT), b.id().toString(), b.slug().replace("-", "%2D"),
      b.slug() + ".", b.slug() + "%20");
  }

  private static List<String[]> headerSets(Side a, Side b) {
    return List.of(new String[0], new String[] {"X-Tenant-ID", b.slug()}, new String[] {"X-Tenant-ID", a.slug()},
      new String[] {"Host", b.slug() + ".localhost"});
  }

  private HttpResponse<Buffer> send(String path, String token, String[] header, String accept) {
    HttpRequest<Buffer> request = world.ts.api.request(HttpMethod.GET, path, token);
    if (header.length == 2) {
      if (header[0].equals("Host")) {
        request.virtualHost(header[1]);
      } else {
        request.putHeader(header[0], header[1]);
      }
    }
    if (accept != null) {
      request.putHeaders(MultiMap.caseInsensitiveMultiMap().add("Accept", accept));
    }
    return world.ts.api.send(request);
  }
}
