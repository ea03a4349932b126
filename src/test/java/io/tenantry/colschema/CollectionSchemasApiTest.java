package io.tenantry.colschema;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** /admin/v1/tenants/{slug}/collections[/{collection}] and the checks record writes then meet. */
class CollectionSchemasApiTest {
  private static TestServer ts;
  private static String root;
  private static String admin;
  private static String member;
  private static String otherAdmin;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    root = ts.adminToken();
    admin = ts.tenantWithUser(root, "shapes", "tenant_admin");
    ts.addUser(root, "shapes", "member@shapes.test", "member");
    member = ts.api.token("member@shapes.test", "password-of-member@shapes.test", "shapes");
    otherAdmin = ts.tenantWithUser(root, "others", "tenant_admin");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static String path(String collection) {
    return "/admin/v1/tenants/shapes/collections" + (collection == null ? "" : "/" + collection);
  }

  private static String records(String collection) {
    return "/api/v1/collections/" + collection + "/records";
  }

  private static HttpResponse<Buffer> declare(String collection, String token, JsonObject schema) {
    return ts.api.put(path(collection), token, new JsonObject().put("schema", schema), null);
  }

  /** name: required string of at most 10 characters; size: a non-negative integer; nothing else. */
  private static JsonObject personSchema() {
    return new JsonObject()
      .put("type", "object")
      .put("required", new JsonArray().add("name"))
      .put("additionalProperties", false)
      .put("properties", new JsonObject()
        .put("name", new JsonObject().put("type", "string").put("maxLength", 10))
        .put("size", new JsonObject().put("$ref", "#/$defs/count"))
        .put("tags", new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "string"))))
      .put("$defs", new JsonObject().put("count", new JsonObject().put("type", "integer").put("minimum", 0)));
  }

  private static List<String> pointers(JsonObject problem) {
    List<String> out = new ArrayList<>();
    problem.getJsonArray("errors").forEach(e -> out.add(((JsonObject) e).getString("pointer")));
    return out;
  }

  @Test
  void declareReadListReplaceAndDelete() {
    HttpResponse<Buffer> created = declare("people", admin, personSchema());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getJsonObject("schema")).isEqualTo(personSchema());
    assertThat(created.bodyAsJsonObject().getLong("version")).isPositive();

    HttpResponse<Buffer> read = ts.api.get(path("people"), admin);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getString("collection")).isEqualTo("people");
    assertThat(read.bodyAsJsonObject().getJsonObject("schema")).isEqualTo(personSchema());

    JsonObject replacement = personSchema().put("description", "v2");
    HttpResponse<Buffer> replaced = declare("people", admin, replacement);
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(replaced.bodyAsJsonObject().getLong("version")).isGreaterThan(created.bodyAsJsonObject().getLong("version"));

    assertThat(declare("labels", root, new JsonObject().put("type", "object")).statusCode()).isEqualTo(201);
    JsonArray items = ts.api.get(path(null), admin).bodyAsJsonObject().getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("collection"))).contains("labels", "people");
    assertThat(items.stream().filter(i -> ((JsonObject) i).getString("collection").equals("people"))
      .map(i -> ((JsonObject) i).getJsonObject("schema")).findFirst()).contains(replacement);

    assertThat(ts.api.delete(path("labels"), admin, null).statusCode()).isEqualTo(204);
    assertProblem(ts.api.get(path("labels"), admin), 404);
    assertProblem(ts.api.delete(path("labels"), admin, null), 404);
    assertThat(ts.api.get(path("people"), admin).statusCode()).as("the other schema stays").isEqualTo(200);
  }

  @Test
  void createReplaceAndPatchAreValidatedWithPointersIntoTheRecord() {
    assertThat(declare("items", admin, personSchema()).statusCode()).isEqualTo(201);

    HttpResponse<Buffer> good = ts.api.post(records("items"), member, new JsonObject().put("name", "ok").put("size", 3));
    assertThat(good.statusCode()).as(good.bodyAsString()).isEqualTo(201);
    String id = good.bodyAsJsonObject().getString("id");

    JsonObject refused = assertProblem(ts.api.post(records("items"), member, new JsonObject()
      .put("name", "far too long a name").put("size", -1).put("tags", new JsonArray().add("a").add(7)).put("extra", true)), 422);
    assertThat(refused.getString("type")).endsWith("/schema-violation");
    assertThat(pointers(refused)).contains("/name", "/size", "/tags/1", "/extra");
    assertThat(refused.getInteger("error_count")).isEqualTo(refused.getJsonArray("errors").size());

    JsonObject missing = assertProblem(ts.api.post(records("items"), member, new JsonObject().put("size", 1)), 422);
    assertThat(missing.getJsonArray("errors").getJsonObject(0).getString("message")).contains("name");

    JsonObject badReplace = assertProblem(ts.api.put(records("items") + "/" + id, member, new JsonObject().put("name", 5), null), 422);
    assertThat(pointers(badReplace)).containsOnly("/name");
    JsonObject badPatch = assertProblem(ts.api.patch(records("items") + "/" + id, member, new JsonObject().put("size", "big"), null), 422);
    assertThat(pointers(badPatch)).containsOnly("/size");
    JsonObject patchRemovingRequired = assertProblem(ts.api.patch(records("items") + "/" + id, member,
      new JsonObject().putNull("name"), null), 422);
    assertThat(pointers(patchRemovingRequired)).containsOnly("");

    HttpResponse<Buffer> stored = ts.api.get(records("items") + "/" + id, member);
    assertThat(stored.bodyAsJsonObject().getJsonObject("data")).as("refused writes changed nothing")
      .isEqualTo(new JsonObject().put("name", "ok").put("size", 3));
    assertThat(stored.bodyAsJsonObject().getLong("version")).isEqualTo(1L);

    assertThat(ts.api.patch(records("items") + "/" + id, member, new JsonObject().put("size", 4), null).statusCode()).isEqualTo(200);
    assertThat(ts.api.put(records("items") + "/" + id, member, new JsonObject().put("name", "new"), null).statusCode()).isEqualTo(200);
    assertThat(ts.api.post(records("unchecked"), member, new JsonObject().put("anything", 1)).statusCode())
      .as("a collection without a schema takes any object").isEqualTo(201);

    assertThat(ts.api.delete(path("items"), admin, null).statusCode()).isEqualTo(204);
    assertThat(ts.api.post(records("items"), member, new JsonObject().put("size", "any")).statusCode())
      .as("no schema, no check").isEqualTo(201);
  }

  @Test
  void existingViolationsRefuseTheSchemaUnlessForced() {
    for (int i = 0; i < 3; i++) {
      assertThat(ts.api.post(records("legacy"), member, new JsonObject().put("name", "n" + i)).statusCode()).isEqualTo(201);
    }
    for (int i = 0; i < 2; i++) {
      assertThat(ts.api.post(records("legacy"), member, new JsonObject().put("nom", i)).statusCode()).isEqualTo(201);
    }
    JsonObject conflict = assertProblem(declare("legacy", admin, personSchema()), 409);
    assertThat(conflict.getLong("violations")).isEqualTo(2L);
    assertThat(conflict.getString("detail")).contains("2 existing records").contains("force=true");
    assertProblem(ts.api.get(path("legacy"), admin), 404);
    assertThat(ts.api.post(records("legacy"), member, new JsonObject().put("nom", 9)).statusCode())
      .as("refused schema not in force").isEqualTo(201);

    HttpResponse<Buffer> forced = ts.api.put(path("legacy") + "?force=true", admin,
      new JsonObject().put("schema", personSchema()), null);
    assertThat(forced.statusCode()).as(forced.bodyAsString()).isEqualTo(201);
    assertProblem(ts.api.post(records("legacy"), member, new JsonObject().put("nom", 9)), 422);
    assertThat(ts.api.get(records("legacy") + "?limit=100", member).bodyAsJsonObject().getJsonArray("items"))
      .as("the old records stay").hasSize(6);
  }

  @Test
  void aScanOfManyPagesCountsEveryViolation() {
    for (int i = 0; i < ExistingRecords.PAGE + 5; i++) {
      JsonObject data = i % 50 == 0 ? new JsonObject().put("nom", i) : new JsonObject().put("name", "n" + i);
      assertThat(ts.api.post(records("many"), member, data).statusCode()).isEqualTo(201);
    }
    JsonObject conflict = assertProblem(declare("many", admin, personSchema()), 409);
    assertThat(conflict.getLong("violations")).isEqualTo(5L);
  }

  @Test
  void invalidSchemasAre422WithWhatIsWrong() {
    JsonObject badType = assertProblem(declare("bad", admin, new JsonObject().put("type", "objekt")), 422);
    assertThat(badType.getString("type")).endsWith("/invalid-schema");
    assertThat(badType.getJsonArray("errors").encode()).contains("/type");
    assertThat(assertProblem(declare("bad", admin, new JsonObject().put("minLength", -1)), 422)
      .getJsonArray("errors").encode()).contains("/minLength");
    assertThat(assertProblem(declare("bad", admin, new JsonObject().put("pattern", "[")), 422)
      .getJsonArray("errors").encode()).contains("/pattern");
    assertThat(assertProblem(declare("bad", admin, new JsonObject().put("$ref", "https://example.com/s.json")), 422)
      .getString("detail")).contains("$ref");
    assertThat(assertProblem(declare("bad", admin, new JsonObject().put("$ref", "#/$defs/nowhere")), 422)
      .getString("detail")).contains("does not point into this schema");
    assertThat(assertProblem(declare("bad", admin, new JsonObject()
      .put("$defs", new JsonObject().put("a", new JsonObject().put("$ref", "#/$defs/b"))
        .put("b", new JsonObject().put("items", new JsonObject().put("$ref", "#/$defs/a"))))
      .put("$ref", "#/$defs/a")), 422).getString("detail")).contains("recursive");
    JsonObject huge = new JsonObject();
    for (int i = 0; i < 1500; i++) {
      huge.put("p" + i, new JsonObject().put("type", "string").put("description", "x".repeat(20)));
    }
    assertThat(assertProblem(declare("bad", admin, new JsonObject().put("properties", huge)), 422)
      .getString("detail")).contains("bytes");
    JsonObject deep = new JsonObject().put("type", "string");
    for (int i = 0; i < 40; i++) {
      deep = new JsonObject().put("not", deep);
    }
    assertThat(assertProblem(declare("bad", admin, deep), 422).getString("detail")).contains("deeper");
    assertProblem(ts.api.put(path("bad"), admin, new JsonObject().put("schema", "text"), null), 400);
    assertProblem(ts.api.put(path("bad"), admin, new JsonObject(), null), 400);
    assertProblem(ts.api.put(path("bad") + "?force=maybe", admin, new JsonObject().put("schema", new JsonObject()), null), 400);
    assertProblem(ts.api.put(path("bad") + "?other=1", admin, new JsonObject().put("schema", new JsonObject()), null), 400);
    assertProblem(declare("Bad-Name", admin, new JsonObject()), 400);
    assertProblem(ts.api.get(path("bad"), admin), 404);
  }

  @Test
  void onlyTheTenantsAdminsAndSuperAdminsMayTouchItsSchemas() {
    JsonObject schema = new JsonObject().put("type", "object");
    for (String token : new String[] {null, member, otherAdmin}) {
      int expected = token == null ? 401 : 403;
      JsonObject p1 = assertProblem(declare("guarded", token, schema), expected);
      assertProblem(ts.api.get(path("guarded"), token), expected);
      assertProblem(ts.api.get(path(null), token), expected);
      assertProblem(ts.api.delete(path("guarded"), token, null), expected);
      assertThat(p1.encode()).doesNotContain("shapes");
    }
    assertProblem(ts.api.get("/admin/v1/tenants/no-such-tenant/collections", otherAdmin), 403);
    assertProblem(ts.api.get("/admin/v1/tenants/no-such-tenant/collections", root), 404);

    assertThat(declare("guarded", root, schema).statusCode()).isEqualTo(201);
    assertThat(ts.api.get(path("guarded"), root).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(path("guarded"), admin).statusCode()).isEqualTo(200);
    assertProblem(ts.api.get(path("guarded"), otherAdmin), 403);
    assertProblem(ts.api.delete(path("guarded"), member, null), 403);
    assertThat(ts.api.get("/admin/v1/tenants/others/collections", otherAdmin).bodyAsJsonObject().getJsonArray("items"))
      .as("another tenant's list does not show this one's").isEmpty();
    assertThat(ts.api.delete(path("guarded"), root, null).statusCode()).isEqualTo(204);
  }
  @Test
  void aSuspendedTenantsAdminCannotChangeOrReadItsSchemasUntilResumed() {
    String pausedAdmin = ts.tenantWithUser(root, "paused", "tenant_admin");
    String schemas = "/admin/v1/tenants/paused/collections/notes";
    JsonObject body = new JsonObject().put("schema", new JsonObject().put("type", "object"));
    assertThat(ts.api.post("/admin/v1/tenants/paused/suspend", root, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(assertProblem(ts.api.put(schemas, pausedAdmin, body, null), 403).getString("detail")).contains("suspended");
    assertProblem(ts.api.get("/admin/v1/tenants/paused/collections", pausedAdmin), 403);
    assertThat(ts.api.put(schemas, root, body, null).statusCode()).as("a super-admin still may").isEqualTo(201);
    assertThat(ts.api.post("/admin/v1/tenants/paused/resume", root, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(schemas, pausedAdmin).statusCode()).isEqualTo(200);
  }
}
