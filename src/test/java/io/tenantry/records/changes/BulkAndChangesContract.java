package io.tenantry.records.changes;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk writes ({@code records:batch}) and the change feed, run once per isolation tier (the subclasses): two tenants
 * of the tier write the same collection names, and each sees only its own records and changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BulkAndChangesContract {
  TestServer ts;
  String admin;
  String alpha;
  String beta;

  abstract String isolation();

  @BeforeAll
  void start() {
    // a connection wait long enough for a machine shared with other builds (load average 25+ seen)
    ts = TestServer.start(Map.of("db.connect-timeout-ms", "30000", "db.pool-size", "8"));
    admin = ts.adminToken();
    alpha = tenant("alpha-" + isolation());
    beta = tenant("beta-" + isolation());
  }

  private String tenant(String slug) {
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", admin,
      new JsonObject().put("slug", slug).put("name", slug).put("isolation", isolation()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    ts.addUser(admin, slug, "member@" + slug + ".test", "member");
    return ts.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug);
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  static String records(String collection) {
    return "/api/v1/collections/" + collection + "/records";
  }

  static String changes(String collection) {
    return "/api/v1/collections/" + collection + "/changes";
  }

  static JsonObject op(String op, String id, JsonObject record) {
    JsonObject json = new JsonObject().put("op", op);
    if (id != null) {
      json.put("id", id);
    }
    if (record != null) {
      json.put("record", record);
    }
    return json;
  }

  HttpResponse<Buffer> batch(String token, String collection, boolean atomic, JsonObject... ops) {
    return ts.api.post(records(collection) + ":batch", token,
      new JsonObject().put("atomic", atomic).put("operations", new JsonArray(List.of((Object[]) ops))));
  }

  String create(String token, String collection, JsonObject data) {
    HttpResponse<Buffer> r = ts.api.post(records(collection), token, data);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  JsonObject page(String token, String collection, String since) {
    HttpResponse<Buffer> r = ts.api.get(changes(collection) + (since == null ? "" : "?since=" + since), token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  /** Every change of the collection from the start, following next until a page is empty. */
  List<JsonObject> allChanges(String token, String collection) {
    List<JsonObject> all = new ArrayList<>();
    String since = null;
    while (true) {
      JsonObject page = page(token, collection, since);
      page.getJsonArray("items").forEach(item -> all.add((JsonObject) item));
      since = page.getString("next");
      if (page.getJsonArray("items").isEmpty()) {
        return all;
      }
    }
  }

  @Test
  void anAtomicBatchWritesEveryOperationAndReportsEach() {
    String kept = create(alpha, "batched", new JsonObject().put("n", 0));
    String gone = create(alpha, "batched", new JsonObject().put("n", -1));
    HttpResponse<Buffer> r = batch(alpha, "batched", true,
      op("create", null, new JsonObject().put("n", 1)),
      op("patch", kept, new JsonObject().put("extra", true)).put("if_match", "\"1\""),
      op("delete", gone, null),
      op("replace", create(alpha, "batched", new JsonObject().put("n", 2)), new JsonObject().put("n", 3)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray results = r.bodyAsJsonObject().getJsonArray("results");
    assertThat(results.stream().map(o -> ((JsonObject) o).getInteger("status"))).containsExactly(201, 200, 204, 200);
    String created = results.getJsonObject(0).getString("id");
    assertThat(ts.api.get(records("batched") + "/" + created, alpha).bodyAsJsonObject().getJsonObject("data"))
      .isEqualTo(new JsonObject().put("n", 1));
    JsonObject patched = ts.api.get(records("batched") + "/" + kept, alpha).bodyAsJsonObject();
    assertThat(patched.getLong("version")).isEqualTo(2L);
    assertThat(patched.getJsonObject("data")).isEqualTo(new JsonObject().put("n", 0).put("extra", true));
    assertProblem(ts.api.get(records("batched") + "/" + gone, alpha), 404);
    assertProblem(ts.api.get(records("batched") + "/" + created, beta), 404);
  }

  @Test
  void anAtomicBatchWithOneStalePreconditionWritesNothing() {
    String id = create(alpha, "atomic", new JsonObject().put("v", 1));
    HttpResponse<Buffer> r = batch(alpha, "atomic", true,
      op("create", "0190f0e0-0000-7000-8000-000000000001", new JsonObject().put("new", true)),
      op("replace", id, new JsonObject().put("v", 2)).put("if_match", "\"7\""));
    assertProblem(r, 412);
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("operations[1]").contains("nothing was written");
    assertThat(r.bodyAsJsonObject().getJsonArray("errors")).hasSize(1);
    assertProblem(ts.api.get(records("atomic") + "/0190f0e0-0000-7000-8000-000000000001", alpha), 404);
    assertThat(ts.api.get(records("atomic") + "/" + id, alpha).bodyAsJsonObject().getLong("version")).isEqualTo(1L);
  }

  @Test
  void aNonAtomicBatchWritesWhatItCanAndSaysWhyTheRestFailed() {
    String id = create(alpha, "partial", new JsonObject().put("v", 1));
    HttpResponse<Buffer> r = batch(alpha, "partial", false,
      op("create", null, new JsonObject().put("ok", true)),
      op("delete", "0190f0e0-0000-7000-8000-00000000dead", null),
      op("patch", id, new JsonObject().put("v", 2)).put("if_match", "\"1\""));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray results = r.bodyAsJsonObject().getJsonArray("results");
    assertThat(results.getJsonObject(0).getInteger("status")).isEqualTo(201);
    assertThat(results.getJsonObject(1).getInteger("status")).isEqualTo(404);
    assertThat(results.getJsonObject(1).getJsonObject("error").getString("type")).endsWith("/not-found");
    assertThat(results.getJsonObject(2).getJsonObject("record").getJsonObject("data").getInteger("v")).isEqualTo(2);
    assertThat(ts.api.get(records("partial") + "/" + results.getJsonObject(0).getString("id"), alpha).statusCode()).isEqualTo(200);
  }

  @Test
  void aCreateOfAnExistingIdIsAConflict() {
    String id = create(alpha, "dupes", new JsonObject());
    assertProblem(batch(alpha, "dupes", true, op("create", id, new JsonObject())), 409);
    // another tenant's id space is its own: the same id is free there
    assertThat(batch(beta, "dupes", true, op("create", id, new JsonObject().put("beta", true))).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(records("dupes") + "/" + id, alpha).bodyAsJsonObject().getJsonObject("data")).isEqualTo(new JsonObject());
  }

  @Test
  void malformedBatchesAreRefusedNamingTheOperation() {
    assertThat(batch(alpha, "bad", true, op("upsert", null, new JsonObject())).bodyAsJsonObject().getString("detail"))
      .contains("op");
    String id = "0190f0e0-0000-7000-8000-000000000002";
    HttpResponse<Buffer> twice = batch(alpha, "bad", true, op("create", id, new JsonObject()), op("delete", id, null));
    assertProblem(twice, 400);
    assertThat(twice.bodyAsJsonObject().getString("detail")).contains("operations[1]");
    assertProblem(batch(alpha, "bad", true, op("replace", null, new JsonObject())), 400);
    assertProblem(ts.api.post(records("bad") + ":batch", alpha, new JsonObject().put("operations", new JsonArray())), 400);
    assertProblem(ts.api.post(records("bad") + ":other", alpha, new JsonObject().put("operations", new JsonArray())), 404);
  }

  /** The contract's schema does not walk a batch's body (BatchRequest.parse does): each of these is still refused. */
  @Test
  void everyBodyTheSchemaForbidsIsRefusedSayingWhatIsAllowed() {
    String path = records("strict") + ":batch";
    JsonObject record = new JsonObject().put("a", 1);
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("{\"operations\":[{\"op\":\"create\",\"record\":{}}],\"extra\":1}", "unknown member 'extra'");
    refused.put("{\"operations\":[{\"op\":\"create\",\"record\":{},\"ttl\":5}]}", "operations[0] has an unknown member 'ttl'");
    refused.put("{\"operations\":[{\"op\":\"create\",\"record\":{}}],\"atomic\":\"yes\"}", "atomic must be true or false");
    refused.put("{\"operations\":[{\"op\":\"create\",\"record\":[1]}]}", "operations[0].record must be a JSON object");
    refused.put("{\"operations\":[{\"op\":\"create\",\"record\":{},\"id\":\"x\"}]}", "operations[0].id must be a record id");
    refused.put("{\"operations\":[{\"op\":\"delete\",\"id\":\"0190f0e0-0000-7000-8000-000000000009\",\"if_match\":3}]}",
      "operations[0].if_match must be a string");
    refused.put("{\"operations\":[{\"op\":7,\"record\":{}}]}", "operations[0].op must be one of");
    refused.put("{\"operations\":[1]}", "operations[0] must be an object");
    refused.put("{\"operations\":{}}", "operations must be an array of 1 to 1000");
    refused.put("{}", "operations must be an array of 1 to 1000");
    refused.put("[]", "the body must be a JSON object");
    refused.put("", "the body must be a JSON object");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= 1000; i++) {
      tooMany.add(new JsonObject().put("op", "create").put("record", record));
    }
    refused.put(new JsonObject().put("operations", tooMany).encode(), "operations must be an array of 1 to 1000");
    refused.forEach((body, detail) -> {
      HttpResponse<Buffer> r = ts.api.send(ts.api.request(HttpMethod.POST, path, alpha), "application/json", body);
      assertProblem(r, 400);
      assertThat(r.bodyAsJsonObject().getString("detail")).as(body.length() > 200 ? "1,001 operations" : body).contains(detail);
    });
    HttpResponse<Buffer> text = ts.api.send(ts.api.request(HttpMethod.POST, path, alpha), "text/plain",
      "{\"operations\":[{\"op\":\"create\",\"record\":{}}]}");
    assertProblem(text, 415);
    assertThat(text.bodyAsJsonObject().getString("detail")).contains("application/json");
    // nothing of the refused bodies was written; the caller's own valid batch still is
    assertThat(ts.api.get(records("strict"), alpha).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(batch(alpha, "strict", true, op("create", null, record)).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(records("strict"), alpha).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
  }

  @Test
  void batchItemsAreCheckedAgainstTheCollectionSchema() {
    String slug = "alpha-" + isolation();
    HttpResponse<Buffer> put = ts.api.put("/admin/v1/tenants/" + slug + "/collections/typed", admin,
      new JsonObject().put("schema", new JsonObject().put("type", "object")
        .put("required", new JsonArray().add("title"))), null);
    assertThat(put.statusCode()).as(put.bodyAsString()).isIn(200, 201);
    assertProblem(batch(alpha, "typed", true, op("create", null, new JsonObject().put("title", "ok")),
      op("create", null, new JsonObject().put("other", 1))), 422);
    HttpResponse<Buffer> partial = batch(alpha, "typed", false, op("create", null, new JsonObject().put("title", "ok")),
      op("create", null, new JsonObject().put("other", 1)));
    assertThat(partial.bodyAsJsonObject().getJsonArray("results").stream().map(o -> ((JsonObject) o).getInteger("status")))
      .containsExactly(201, 422);
  }

  @Test
  void theFeedListsCreatesUpdatesAndDeletesInCommitOrderAndResumes() {
    String id = create(alpha, "feed", new JsonObject().put("v", 1));
    assertThat(ts.api.put(records("feed") + "/" + id, alpha, new JsonObject().put("v", 2), null).statusCode()).isEqualTo(200);
    String other = create(alpha, "feed", new JsonObject().put("v", 3));
    assertThat(ts.api.delete(records("feed") + "/" + id, alpha, null).statusCode()).isEqualTo(204);
    List<JsonObject> all = allChanges(alpha, "feed");
    assertThat(all.stream().map(c -> c.getString("op") + " " + c.getString("id")))
      .containsExactly("create " + id, "update " + id, "create " + other, "delete " + id);
    assertThat(all.get(0).getValue("record")).isNull(); // deleted since
    assertThat(all.get(2).getJsonObject("record").getJsonObject("data")).isEqualTo(new JsonObject().put("v", 3));
    assertThat(all.get(3).containsKey("record")).isFalse();
    // resuming from a change's token gives what came after it, once
    List<String> after = page(alpha, "feed", all.get(1).getString("token")).getJsonArray("items").stream()
      .map(c -> ((JsonObject) c).getString("op")).toList();
    assertThat(after).containsExactly("create", "delete");
    String next = page(alpha, "feed", null).getString("next");
    assertThat(page(alpha, "feed", next).getJsonArray("items")).isEmpty();
    String later = create(alpha, "feed", new JsonObject().put("v", 4));
    Eventually.within(Duration.ofSeconds(5), "the new change follows the token",
      () -> page(alpha, "feed", next).getJsonArray("items").stream().anyMatch(c -> later.equals(((JsonObject) c).getString("id"))));
  }

  @Test
  void aBatchShowsInTheFeedAsOneChangePerItem() {
    HttpResponse<Buffer> r = batch(alpha, "bulkfeed", true, op("create", null, new JsonObject().put("i", 1)),
      op("create", null, new JsonObject().put("i", 2)), op("create", null, new JsonObject().put("i", 3)));
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> ids = r.bodyAsJsonObject().getJsonArray("results").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    assertThat(allChanges(alpha, "bulkfeed").stream().map(c -> c.getString("id"))).containsExactlyElementsOf(ids);
  }

  @Test
  void eachTenantsFeedHoldsItsOwnChangesOnly() {
    List<String> alphas = new ArrayList<>();
    List<String> betas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      alphas.add(create(alpha, "shared_name", new JsonObject().put("owner", "alpha")));
      betas.add(create(beta, "shared_name", new JsonObject().put("owner", "beta")));
    }
    List<JsonObject> seenByAlpha = allChanges(alpha, "shared_name");
    List<JsonObject> seenByBeta = allChanges(beta, "shared_name");
    assertThat(seenByAlpha.stream().map(c -> c.getString("id"))).containsExactlyElementsOf(alphas);
    assertThat(seenByBeta.stream().map(c -> c.getString("id"))).containsExactlyElementsOf(betas);
    assertThat(seenByAlpha).allMatch(c -> "alpha".equals(c.getJsonObject("record").getJsonObject("data").getString("owner")));
    // a token is a position, not a key: beta's token read by alpha still yields alpha's changes only
    String betaToken = seenByBeta.get(0).getString("token");
    assertThat(page(alpha, "shared_name", betaToken).getJsonArray("items").stream()
      .map(c -> ((JsonObject) c).getString("id"))).doesNotContainAnyElementsOf(betas);
    HttpResponse<Buffer> streamless = ts.api.get(changes("shared_name") + "?since=not-a-token", alpha);
    assertProblem(streamless, 400);
  }

  @Test
  void aStreamDeliversNewChangesAndResumesFromLastEventId() {
    String before = create(alpha, "streamed", new JsonObject().put("n", 0));
    List<String> written = new ArrayList<>(List.of(before));
    try (EventStream stream = EventStream.open(ts.vertx, ts.config.httpPort(), changes("streamed"), alpha, null);
         EventStream other = EventStream.open(ts.vertx, ts.config.httpPort(), changes("streamed"), beta, null)) {
      assertThat(stream.response.statusCode()).isEqualTo(200);
      assertThat(stream.response.getHeader("Content-Type")).startsWith("text/event-stream");
      for (int i = 1; i <= 3; i++) {
        written.add(create(alpha, "streamed", new JsonObject().put("n", i)));
      }
      create(beta, "streamed", new JsonObject().put("n", "beta"));
      Eventually.within(Duration.ofSeconds(5), "the stream has every change", () -> stream.events.size() >= 4);
      assertThat(stream.ids()).containsExactlyElementsOf(written);
      Eventually.within(Duration.ofSeconds(5), "beta's stream has its change", () -> other.events.size() >= 1);
      assertThat(other.ids()).doesNotContainAnyElementsOf(written);
      String resumeAt = stream.events.get(1).id();
      try (EventStream resumed = EventStream.open(ts.vertx, ts.config.httpPort(), changes("streamed"), alpha, resumeAt)) {
        Eventually.within(Duration.ofSeconds(5), "the resumed stream catches up", () -> resumed.events.size() >= 2);
        String last = create(alpha, "streamed", new JsonObject().put("n", 4));
        Eventually.within(Duration.ofSeconds(5), "the resumed stream sees the new one", () -> resumed.events.size() >= 3);
        assertThat(resumed.ids()).containsExactly(written.get(2), written.get(3), last);
      }
    }
  }

  @Test
  void aChangeWrittenThroughOneNodeStreamsFromAnotherWithinASecond() {
    try (TestServer peer = ts.peer();
         EventStream stream = EventStream.open(ts.vertx, peer.config.httpPort(), changes("across"), alpha, null)) {
      long start = System.nanoTime();
      String id = create(alpha, "across", new JsonObject().put("via", "node 1"));
      Eventually.within(Duration.ofSeconds(5), "node 2's stream has it", () -> stream.ids().contains(id));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void aBatchIsChargedAsManyWritesAsItHasItems() {
    String slug = "limited-" + isolation();
    String token = tenant(slug);
    HttpResponse<Buffer> limited = ts.api.send(ts.api.request(io.vertx.core.http.HttpMethod.PUT,
      "/admin/v1/tenants/" + slug + "/limits", admin), new JsonObject().put("rate", 1).put("burst", 10));
    assertThat(limited.statusCode()).as(limited.bodyAsString()).isEqualTo(200);
    JsonObject[] eleven = new JsonObject[11];
    java.util.Arrays.setAll(eleven, i -> op("create", null, new JsonObject().put("i", i)));
    HttpResponse<Buffer> tooCostly = batch(token, "limited", true, eleven);
    assertProblem(tooCostly, 413);
    assertThat(tooCostly.bodyAsJsonObject().getString("detail")).contains("at most 10 operations");
    JsonObject[] eight = java.util.Arrays.copyOf(eleven, 8);
    HttpResponse<Buffer> first = batch(token, "limited", true, eight);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(Integer.parseInt(first.getHeader("RateLimit-Remaining"))).isLessThanOrEqualTo(2);
    assertProblem(batch(token, "limited", true, eight), 429);
  }

  @Test
  void aChangeOfATransactionStillRunningIsHeldBackNotSkipped() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue("shared".equals(isolation()), "the shared tier's tables, reached directly");
    String tenantId = ts.api.get("/admin/v1/tenants/alpha-shared", admin).bodyAsJsonObject().getString("id");
    java.util.UUID early = java.util.UUID.randomUUID();
    try (java.sql.Connection c = io.tenantry.support.TestEnv.connect(ts.config.dbName(), io.tenantry.support.TestEnv.adminUser())) {
      c.setAutoCommit(false);
      // a record write as the server stores it (record and entry in one transaction), begun first, committed last
      try (var insert = c.prepareStatement("INSERT INTO shared.records (tenant_id, collection, id, data) "
        + "VALUES (?::uuid, 'inflight', ?, '{}')")) {
        insert.setString(1, tenantId);
        insert.setObject(2, early);
        insert.executeUpdate();
      }
      try (var entry = c.prepareStatement("INSERT INTO shared.audit_log (tenant_id, id, action, target, outcome, status) "
        + "VALUES (?::uuid, ?, 'record.create', ?, 'success', 201)")) {
        entry.setString(1, tenantId);
        entry.setObject(2, java.util.UUID.randomUUID());
        entry.setString(3, "inflight/" + early);
        entry.executeUpdate();
      }
      String later = create(alpha, "inflight", new JsonObject().put("committed", "first"));
      JsonObject held = page(alpha, "inflight", null);
      assertThat(held.getJsonArray("items")).as("nothing past a transaction still running").isEmpty();
      c.commit();
      Eventually.within(Duration.ofSeconds(5), "both changes, the earlier transaction's first",
        () -> page(alpha, "inflight", held.getString("next")).getJsonArray("items").size() == 2);
      assertThat(page(alpha, "inflight", held.getString("next")).getJsonArray("items").stream()
        .map(i -> ((JsonObject) i).getString("id"))).containsExactly(early.toString(), later);
    }
  }

  @Test
  void aStreamEndsPromptlyWhenItsNodeShutsDown() {
    org.junit.jupiter.api.Assumptions.assumeTrue("shared".equals(isolation()), "one tier suffices: no tier code involved");
    TestServer peer = ts.peer();
    try (EventStream stream = EventStream.open(ts.vertx, peer.config.httpPort(), changes("drained"), alpha, null)) {
      long start = System.nanoTime();
      peer.close();
      Eventually.within(Duration.ofSeconds(2), "the stream ended", stream.ended::get);
      // ended by the drain, not cut off when shutdown.timeout-ms (5 s here) ran out
      assertThat(Duration.ofNanos(stream.endedAt - start)).isLessThan(Duration.ofSeconds(3));
    }
  }
}
