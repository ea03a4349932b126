package io.tenantry.audit;

import io.tenantry.admin.HierarchyTestSupport;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /admin/v1/tenants/{slug}/audit[/export|/verify]: what is audited, filters, paging, NDJSON and who may read. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditApiTest {
  private TestServer ts;
  private String superAdmin;

  @BeforeAll
  void start() {
    ts = TestServer.start(Map.of("audit.seal-interval-ms", "100"));
    superAdmin = ts.adminToken();
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  /** A tenant's log, or the platform's when {@code slug} is null. */
  private static String audit(String slug, String query) {
    return (slug == null ? "/admin/v1/audit" : "/admin/v1/tenants/" + slug + "/audit") + (query == null ? "" : "?" + query);
  }

  private JsonArray items(String slug, String query, String token) {
    HttpResponse<Buffer> r = ts.api.get(audit(slug, query), token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  private JsonObject eventually(String slug, String query, String what) {
    JsonObject[] found = new JsonObject[1];
    Eventually.within(Duration.ofSeconds(10), what, () -> {
      JsonArray items = items(slug, query, superAdmin);
      found[0] = items.isEmpty() ? null : items.getJsonObject(0);
      return found[0] != null;
    });
    return found[0];
  }

  private HttpResponse<Buffer> withRequestId(HttpMethod method, String path, String token, JsonObject body, String requestId) {
    HttpRequest<Buffer> request = ts.api.request(method, path, token).putHeader("X-Request-Id", requestId);
    return body == null ? ts.api.send(request) : ts.api.send(request, body);
  }

  @Test
  void everyRecordWriteHasItsEntryWithActorTargetAndRequest() {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "audit-writes", "shared");
    HttpResponse<Buffer> created = withRequestId(HttpMethod.POST, AuditTenant.NOTES, t.memberToken(),
      new JsonObject().put("n", 1), "req-create-1");
    String id = created.bodyAsJsonObject().getString("id");
    String path = AuditTenant.NOTES + "/" + id;
    assertThat(withRequestId(HttpMethod.PUT, path, t.memberToken(), new JsonObject().put("n", 2), "req-put-1").statusCode()).isEqualTo(200);
    assertThat(ts.api.patch(path, t.memberToken(), new JsonObject().put("n", 3), null).statusCode()).isEqualTo(200);
    assertThat(withRequestId(HttpMethod.DELETE, path, t.memberToken(), null, "req-delete-1").statusCode()).isEqualTo(204);

    JsonArray entries = items(t.slug(), "action=record.*", t.adminToken());
    assertThat(entries).hasSize(4);
    List<String> actions = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      actions.add(e.getString("action"));
      assertThat(e.getString("target")).isEqualTo("notes/" + id);
      assertThat(e.getString("outcome")).isEqualTo("success");
      assertThat(e.getString("tenant_id")).isEqualTo(t.id().toString());
      assertThat(e.getJsonObject("actor").getString("user_id")).isEqualTo(t.memberId().toString());
      assertThat(e.getJsonObject("actor").getString("impersonator")).isNull();
      assertThat(e.getString("client_address")).isEqualTo("127.0.0.1");
    }
    assertThat(actions).containsExactly("record.delete", "record.update", "record.update", "record.create");
    assertThat(entries.getJsonObject(3).getString("request_id")).isEqualTo("req-create-1");
    assertThat(entries.getJsonObject(3).getInteger("status")).isEqualTo(201);
    assertThat(entries.getJsonObject(2).getString("request_id")).isEqualTo("req-put-1");
    assertThat(entries.getJsonObject(0).getString("request_id")).isEqualTo("req-delete-1");
    assertThat(entries.getJsonObject(0).getInteger("status")).isEqualTo(204);
  }

  @Test
  void deniedAndFailedRequestsAuthAndAdminActionsAreAudited() {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "audit-events", "schema");
    ts.addUser(superAdmin, t.slug(), "reader@audit-events.test", "read_only");
    String reader = ts.api.token("reader@audit-events.test", "password-of-reader@audit-events.test", t.slug());

    for (int i = 0; i < 3; i++) {
      assertProblem(ts.api.post(AuditTenant.NOTES, reader, new JsonObject().put("n", 1)), 403);
    }
    assertProblem(ts.api.put(AuditTenant.NOTES + "/" + java.util.UUID.randomUUID(), t.memberToken(),
      new JsonObject().put("n", 1), null), 404);
    assertThat(eventually(t.slug(), "outcome=failed&action=record.update", "the failed write's entry")
      .getInteger("status")).isEqualTo(404);
    // stored after the refusals before it: those are in, the repeated refusal once
    JsonArray denied = items(t.slug(), "outcome=denied&action=record.create", superAdmin);
    assertThat(denied).hasSize(1);
    assertThat(denied.getJsonObject(0).getInteger("status")).isEqualTo(403);

    assertThat(ts.api.post("/auth/token", null, new JsonObject().put("email", "member@audit-events.test")
      .put("password", "wrong-password-here").put("tenant", t.slug())).statusCode()).isEqualTo(401);
    JsonObject failure = eventually(t.slug(), "action=auth.login.failure", "the failed sign-in's entry");
    assertThat(failure.getJsonObject("actor").getString("user_id")).isEqualTo(t.memberId().toString());
    assertThat(failure.getJsonObject("detail").getString("email")).isEqualTo("member@audit-events.test");
    assertThat(eventually(t.slug(), "action=auth.login.success", "the sign-ins' entries")).isNotNull();

    HttpResponse<Buffer> key = ts.api.post("/admin/v1/tenants/" + t.slug() + "/api-keys", t.adminToken(),
      new JsonObject().put("name", "ci").put("scopes", new JsonArray().add("records:read")));
    assertThat(key.statusCode()).isEqualTo(201);
    JsonObject created = eventually(t.slug(), "action=admin.createApiKey", "the admin action's entry");
    assertThat(created.getInteger("status")).isEqualTo(201);
    assertThat(created.getJsonObject("actor").getString("user_id")).isEqualTo(t.adminId().toString());

    HttpRequest<Buffer> withKey = ts.api.request(HttpMethod.GET, AuditTenant.NOTES, null)
      .putHeader("Authorization", "ApiKey " + key.bodyAsJsonObject().getString("secret"));
    for (int i = 0; i < 5; i++) {
      assertThat(ts.api.send(withKey).statusCode()).isEqualTo(200);
    }
    JsonObject use = eventually(t.slug(), "action=apikey.use", "the key's first use");
    assertThat(use.getJsonObject("actor").getString("key_id")).isEqualTo(key.bodyAsJsonObject().getString("id"));
    // once per clock hour, not per request: five uses make one entry (two when they straddle the hour)
    assertThat(items(t.slug(), "action=apikey.use", superAdmin).size()).isBetween(1, 2);
  }

  @Test
  void refreshesReuseAndLockoutsAreAudited() {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "audit-sessions", "database");
    JsonObject signIn = ts.api.post("/auth/token", null, new JsonObject().put("email", "member@audit-sessions.test")
      .put("password", "password-of-member@audit-sessions.test").put("tenant", t.slug())).bodyAsJsonObject();
    JsonObject refresh = new JsonObject().put("grant_type", "refresh_token").put("refresh_token", signIn.getString("refresh_token"));
    assertThat(ts.api.post("/auth/token", null, refresh).statusCode()).isEqualTo(200);
    assertThat(ts.api.post("/auth/token", null, refresh).statusCode()).isEqualTo(401);
    JsonObject renewed = eventually(t.slug(), "action=auth.refresh", "the refresh's entry");
    assertThat(renewed.getJsonObject("actor").getString("user_id")).isEqualTo(t.memberId().toString());
    JsonObject reuse = eventually(t.slug(), "action=auth.refresh.reuse", "the reuse's entry");
    assertThat(reuse.getString("outcome")).isEqualTo("denied");
    assertThat(reuse.getJsonObject("detail").getInteger("tokens_revoked")).isPositive();

    JsonObject wrong = new JsonObject().put("email", "admin@audit-sessions.test").put("password", "not-the-password")
      .put("tenant", t.slug());
    for (int i = 0; i < 8; i++) {
      assertThat(ts.api.post("/auth/token", null, wrong).statusCode()).isEqualTo(401);
    }
    Eventually.within(Duration.ofSeconds(10), "the failures' entries", () ->
      items(t.slug(), "action=auth.login.failure&actor=" + t.adminId(), superAdmin).size() >= 5);
    // Throttled attempts look nothing up, so their entries name no tenant: the platform log has them.
    Eventually.within(Duration.ofSeconds(10), "the lockout's entries", () -> {
      JsonArray lockouts = ts.api.get("/admin/v1/audit?action=auth.login.lockout", superAdmin).bodyAsJsonObject()
        .getJsonArray("items");
      return lockouts.stream().anyMatch(e -> "admin@audit-sessions.test".equals(
        ((JsonObject) e).getJsonObject("detail").getString("email")));
    });
    assertProblem(ts.api.get("/admin/v1/audit", t.adminToken()), 403);
    assertThat(eventually(null, "action=admin.createTenant", "the tenant's creation, in the platform log")
      .getInteger("status")).isEqualTo(201);
  }

  @Test
  void filtersSelectByActorActionOutcomeAndTime() {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "audit-filters", "shared");
    t.createNote(1);
    t.createNote(2);
    assertThat(ts.api.post(AuditTenant.NOTES, t.adminToken(), new JsonObject().put("n", 3)).statusCode()).isEqualTo(201);

    assertThat(items(t.slug(), "action=record.create&actor=" + t.memberId(), superAdmin)).hasSize(2);
    assertThat(items(t.slug(), "action=record.create&actor=" + t.adminId(), superAdmin)).hasSize(1);
    assertThat(items(t.slug(), "action=record.create&outcome=success", superAdmin)).hasSize(3);
    assertThat(items(t.slug(), "action=record.create&outcome=failed", superAdmin)).isEmpty();
    assertThat(items(t.slug(), "action=record.cr", superAdmin)).isEmpty();
    assertThat(items(t.slug(), "action=record.create&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z", superAdmin)).hasSize(3);
    assertThat(items(t.slug(), "action=record.create&from=2999-01-01T00:00:00Z", superAdmin)).isEmpty();
    assertThat(items(t.slug(), "action=record.create&to=2000-01-01T00:00:00Z", superAdmin)).isEmpty();

    assertThat(assertProblem(ts.api.get(audit(t.slug(), "actor=someone"), superAdmin), 400).getString("detail")).contains("UUID");
    assertProblem(ts.api.get(audit(t.slug(), "outcome=maybe"), superAdmin), 400);
    assertThat(assertProblem(ts.api.get(audit(t.slug(), "from=yesterday"), superAdmin), 400).getString("detail")).contains("RFC 3339");
    assertProblem(ts.api.get(audit(t.slug(), "unknown=1"), superAdmin), 400);
  }

  @Test
  void pagesFollowCursorsAndNdjsonExportsEveryEntry() {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "audit-paging", "database");
    for (int i = 0; i < 7; i++) {
      t.createNote(i);
    }
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<Buffer> page = ts.api.get(audit(t.slug(), "action=record.create&limit=3"
        + (cursor == null ? "" : "&cursor=" + cursor)), t.adminToken());
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      JsonArray items = page.bodyAsJsonObject().getJsonArray("items");
      assertThat(items.size()).isLessThanOrEqualTo(3);
      items.forEach(item -> paged.add(((JsonObject) item).getString("id")));
      cursor = page.bodyAsJsonObject().getString("next_cursor");
    } while (cursor != null);
    assertThat(paged).hasSize(7).doesNotHaveDuplicates();
    assertThat(paged).isSortedAccordingTo(java.util.Comparator.reverseOrder());

    String otherCursor = ts.api.get(audit(t.slug(), "limit=1"), superAdmin).bodyAsJsonObject().getString("next_cursor");
    AuditTenant other = AuditTenant.create(ts, superAdmin, "audit-paging-b", "shared");
    assertProblem(ts.api.get(audit(other.slug(), "cursor=" + otherCursor), superAdmin), 400);

    HttpResponse<Buffer> ndjson = ts.api.get(audit(t.slug(), "action=record.create"), t.adminToken(),
      MultiMap.caseInsensitiveMultiMap().add("Accept", "application/x-ndjson"));
    assertThat(ndjson.statusCode()).isEqualTo(200);
    assertThat(ndjson.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(lines(ndjson)).containsExactlyElementsOf(paged);
    HttpResponse<Buffer> export = ts.api.get("/admin/v1/tenants/" + t.slug() + "/audit/export?action=record.create",
      t.adminToken());
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(lines(export)).containsExactlyElementsOf(paged);
  }

  @Test
  void exportStreamsLargeLogsPageByPage() {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "audit-export-big", "shared");
    t.asOwner(
      "INSERT INTO " + t.table("audit_log") + " (tenant_id, id, action, outcome, status) SELECT '" + t.id()
        + "', gen_random_uuid(), 'bulk.test', 'success', 200 FROM generate_series(1, 1234)");
    HttpResponse<Buffer> export = ts.api.get("/admin/v1/tenants/" + t.slug() + "/audit/export?action=bulk.*", superAdmin);
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(lines(export)).hasSize(1234).doesNotHaveDuplicates();
  }

  private static List<String> lines(HttpResponse<Buffer> response) {
    List<String> ids = new ArrayList<>();
    for (String line : response.bodyAsString().split("\n")) {
      if (!line.isEmpty()) {
        ids.add(new JsonObject(line).getString("id"));
      }
    }
    return ids;
  }

  @Test
  void tenantAdminsAncestorsAdminsAndSuperAdminsReadMembersAndOthersDoNot() {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "audit-access", "shared");
    AuditTenant stranger = AuditTenant.create(ts, superAdmin, "audit-stranger", "schema");
    t.createNote(1);
    assertThat(HierarchyTestSupport.child(ts, superAdmin, "audit-access-kid", t.slug()).statusCode()).isEqualTo(201);
    ts.addUser(superAdmin, "audit-access-kid", "member@audit-access-kid.test", "member");
    String kid = ts.api.token("member@audit-access-kid.test", "password-of-member@audit-access-kid.test", "audit-access-kid");
    assertThat(ts.api.post(AuditTenant.NOTES, kid, new JsonObject().put("n", 1)).statusCode()).isEqualTo(201);

    for (String suffix : new String[] {"", "/export", "/verify"}) {
      String path = "/admin/v1/tenants/" + t.slug() + "/audit" + suffix;
      assertThat(ts.api.get(path, t.adminToken()).statusCode()).as(path).isEqualTo(200);
      assertThat(ts.api.get(path, superAdmin).statusCode()).as(path).isEqualTo(200);
      assertProblem(ts.api.get(path, t.memberToken()), 403);
      assertProblem(ts.api.get(path, stranger.adminToken()), 403);
      assertProblem(ts.api.get(path, null), 401);
      assertThat(ts.api.get("/admin/v1/tenants/audit-access-kid/audit" + suffix, t.adminToken()).statusCode())
        .as("the parent's admin on the child's log").isEqualTo(200);
      assertProblem(ts.api.get("/admin/v1/tenants/no-such-tenant/audit" + suffix, t.adminToken()), 403);
      assertProblem(ts.api.get("/admin/v1/tenants/no-such-tenant/audit" + suffix, superAdmin), 404);
    }
    assertThat(items("audit-access-kid", "action=record.create", t.adminToken())).hasSize(1);
    JsonObject verified = t.verify(t.adminToken());
    assertThat(verified.getBoolean("intact")).isTrue();
    assertThat(verified.getLong("entries")).isPositive();
  }
}
