package io.tenantry.http;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A refused request says which field, what it accepts and what it got; undeclared query parameters are refused. */
class ErrorMessagesTest {
  private static TestServer ts;
  private static String admin;
  private static String member;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
    member = ts.tenantWithUser(admin, "acme", "member");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static String detail(HttpResponse<Buffer> response) {
    JsonObject problem = assertProblem(response, 400);
    assertThat(problem.getString("type")).isEqualTo("https://tenantry.io/problems/bad-request");
    return problem.getString("detail");
  }

  private static JsonObject tenant(String slug) {
    return new JsonObject().put("slug", slug).put("name", "Tenant " + slug);
  }

  @Test
  void anUnknownEnumValueNamesTheAllowedValues() {
    String detail = detail(ts.api.post("/admin/v1/tenants", admin, tenant("globex").put("isolation", "dedicated")));
    assertThat(detail).isEqualTo("isolation: must be one of shared, schema, database (got \"dedicated\")");
    assertThat(ts.api.get("/admin/v1/tenants/globex", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void aBadPathParameterNamesItsPattern() {
    String detail = detail(ts.api.post("/api/v1/collections/Bad-Name/records", member, new JsonObject().put("a", 1)));
    assertThat(detail).isEqualTo("collection (path): must match ^[a-z][a-z0-9_]{0,62}$ (got \"Bad-Name\")");
  }

  @Test
  void anUnknownPropertyListsTheAllowedOnes() {
    String detail = detail(ts.api.post("/admin/v1/tenants", admin, tenant("initech").put("foo", 1)));
    assertThat(detail).isEqualTo("foo: not allowed (allowed: slug, name, isolation, database, parent, template, plan, admin_email)");
  }

  @Test
  void aMissingPropertyIsNamed() {
    String detail = detail(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("name", "No slug")));
    assertThat(detail).isEqualTo("slug: is required");
  }

  @Test
  void aNestedPropertyIsNamedByItsPath() {
    String detail = detail(ts.api.post("/admin/v1/tenants", admin, tenant("hooli").put("isolation", "database")
      .put("database", new JsonObject().put("name", "Bad Name"))));
    assertThat(detail).startsWith("database.name: must match ").endsWith("(got \"Bad Name\")");
  }

  @Test
  void aWrongTypeAndAnOutOfRangeQueryValueSayWhatIsAllowed() {
    assertThat(detail(ts.api.put("/admin/v1/tenants/acme/limits", admin, new JsonObject().put("rate", "fast"), null)))
      .isEqualTo("rate: must be of type integer or null (got \"fast\")");
    assertThat(detail(ts.api.get("/api/v1/collections/notes/records?limit=9999", member)))
      .isEqualTo("limit (query): must be at most 500 (got \"9999\")");
  }

  @Test
  void aValueWithQuotesOrSqlIsNotEchoed() {
    String detail = detail(ts.api.get("/api/v1/collections/notes/records?limit=1%27%3B%20SELECT%201", member));
    assertThat(detail).isEqualTo("limit (query): must be of type integer");
  }

  @Test
  void anUndeclaredQueryParameterIsRefusedByName() {
    ts.api.post("/api/v1/collections/notes/records", member, new JsonObject().put("status", "closed"));
    String detail = detail(ts.api.get("/api/v1/collections/notes/records?status=open&limit=5", member));
    assertThat(detail).isEqualTo("unknown query parameter status: allowed: count, cursor, fields, filter[...], limit, sort");
    assertThat(detail(ts.api.get("/admin/v1/plans?verbose=1&all=true", admin)))
      .isEqualTo("unknown query parameters all, verbose: listPlans takes none");
    HttpResponse<Buffer> declared = ts.api.get("/api/v1/collections/notes/records?limit=5", member);
    assertThat(declared.statusCode()).isEqualTo(200);
    assertThat(declared.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
  }
}
