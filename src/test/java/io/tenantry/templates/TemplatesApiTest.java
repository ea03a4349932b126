package io.tenantry.templates;

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

/** /admin/v1/templates: super-admins keep tenant templates, bad ones are refused with pointers, tenants use them. */
class TemplatesApiTest {
  private static TestServer ts;
  private static String admin;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
    assertThat(ts.api.put("/admin/v1/plans/tpl-gold", admin, new JsonObject().put("rate", 10).put("burst", 20), null)
      .statusCode()).isIn(200, 201);
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static JsonObject notesSchema() {
    return new JsonObject().put("type", "object").put("required", new JsonArray().add("title"))
      .put("properties", new JsonObject().put("title", new JsonObject().put("type", "string")));
  }

  private static JsonObject template(String name) {
    return new JsonObject().put("name", name).put("description", "a starter kit").put("isolation", "schema")
      .put("plan", "tpl-gold").put("config", new JsonObject().put("locale", "fr"))
      .put("collections", new JsonObject().put("notes", new JsonObject().put("schema", notesSchema())
        .put("records", new JsonArray().add(new JsonObject().put("title", "hello")))));
  }

  @Test
  void aSuperAdminCreatesReadsListsReplacesAndDeletesATemplate() {
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/templates", admin, template("tpl-crud"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Location")).isEqualTo("/admin/v1/templates/tpl-crud");
    JsonObject read = ts.api.get("/admin/v1/templates/tpl-crud", admin).bodyAsJsonObject();
    assertThat(read.getString("isolation")).isEqualTo("schema");
    assertThat(read.getJsonObject("config").getString("locale")).isEqualTo("fr");
    assertThat(read.getJsonObject("collections").getJsonObject("notes").getJsonArray("records")).hasSize(1);
    List<String> names = new ArrayList<>();
    ts.api.get("/admin/v1/templates", admin).bodyAsJsonObject().getJsonArray("items")
      .forEach(t -> names.add(((JsonObject) t).getString("name")));
    assertThat(names).contains("tpl-crud");

    assertProblem(ts.api.post("/admin/v1/templates", admin, template("tpl-crud")), 409);
    JsonObject replacement = template("tpl-crud").put("isolation", "shared");
    assertThat(ts.api.put("/admin/v1/templates/tpl-crud", admin, replacement, null).statusCode()).isEqualTo(200);
    assertThat(ts.api.get("/admin/v1/templates/tpl-crud", admin).bodyAsJsonObject().getString("isolation")).isEqualTo("shared");
    JsonObject fresh = template("tpl-put");
    fresh.remove("name");
    assertThat(ts.api.put("/admin/v1/templates/tpl-put", admin, fresh, null).statusCode()).isEqualTo(201);
    assertProblem(ts.api.put("/admin/v1/templates/tpl-put", admin, template("other-name"), null), 400);

    assertThat(ts.api.delete("/admin/v1/templates/tpl-crud", admin, null).statusCode()).isEqualTo(204);
    assertProblem(ts.api.get("/admin/v1/templates/tpl-crud", admin), 404);
    assertProblem(ts.api.delete("/admin/v1/templates/tpl-crud", admin, null), 404);
  }

  @Test
  void onlySuperAdminsSeeOrChangeTemplates() {
    String tenantAdmin = ts.tenantWithUser(admin, "tpl-owner", "tenant_admin");
    assertProblem(ts.api.post("/admin/v1/templates", tenantAdmin, template("tpl-sneaky")), 403);
    assertProblem(ts.api.get("/admin/v1/templates", tenantAdmin), 403);
    assertProblem(ts.api.get("/admin/v1/templates/tpl-sneaky", tenantAdmin), 403);
    assertProblem(ts.api.get("/admin/v1/templates", null), 401);
  }

  @Test
  void badTemplatesAreRefusedWithPointersToWhatIsWrong() {
    assertPointer(template("tpl-bad").put("config", new JsonObject().put("no.such.setting", 1)), "/config/no.such.setting");
    assertPointer(template("tpl-bad").put("config", new JsonObject().put("locale", "not a locale")), "/config/locale");
    assertPointer(template("tpl-bad").put("plan", "no-such-plan"), "/plan");
    assertPointer(template("tpl-bad").put("collections", new JsonObject().put("notes", new JsonObject()
      .put("schema", new JsonObject().put("type", "no-such-type")))), "/collections/notes/schema");
    assertPointer(template("tpl-bad").put("collections", new JsonObject().put("notes", new JsonObject()
      .put("schema", notesSchema()).put("records", new JsonArray().add(new JsonObject().put("title", 42))))),
      "/collections/notes/records/0");
    assertPointer(template("tpl-bad").put("collections", new JsonObject().put("Bad-Name", new JsonObject()
      .put("schema", notesSchema()))), "/collections/Bad-Name");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) {
      tooMany.add(new JsonObject().put("title", "t" + i));
    }
    assertProblem(ts.api.post("/admin/v1/templates", admin, template("tpl-bad").put("collections", new JsonObject()
      .put("notes", new JsonObject().put("schema", notesSchema()).put("records", tooMany)))), 400);
    assertProblem(ts.api.post("/admin/v1/templates", admin, template("tpl-bad").put("surprise", true)), 400);
    assertProblem(ts.api.post("/admin/v1/templates", admin, template("Bad Name")), 400);
    assertProblem(ts.api.get("/admin/v1/templates/tpl-bad", admin), 404);
  }

  private static void assertPointer(JsonObject template, String pointer) {
    JsonObject problem = assertProblem(ts.api.post("/admin/v1/templates", admin, template), 422);
    List<String> pointers = new ArrayList<>();
    problem.getJsonArray("errors").forEach(e -> pointers.add(((JsonObject) e).getString("pointer")));
    assertThat(pointers).as(problem.encode()).anyMatch(p -> p.startsWith(pointer));
    assertThat(problem.getString("detail")).contains(pointer);
  }

  @Test
  void aTenantMadeFromATemplateGetsItsTierPlanConfigurationCollectionsAndRecords() {
    assertThat(ts.api.post("/admin/v1/templates", admin, template("tpl-use")).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> made = ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "tpl-user")
      .put("name", "U").put("template", "tpl-use"));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    assertThat(made.bodyAsJsonObject().getString("isolation")).isEqualTo("schema");
    assertThat(made.bodyAsJsonObject().getString("status")).isEqualTo("active");
    assertThat(ts.api.get("/admin/v1/tenants/tpl-user/limits", admin).bodyAsJsonObject().getString("plan")).isEqualTo("tpl-gold");
    assertThat(ts.api.get("/admin/v1/tenants/tpl-user/config", admin).bodyAsJsonObject().getJsonObject("values")
      .getString("locale")).isEqualTo("fr");
    var read = ts.api.request(io.vertx.core.http.HttpMethod.GET, "/api/v1/collections/notes/records", admin)
      .putHeader("X-Tenant-ID", "tpl-user");
    assertThat(ts.api.send(read).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    // a record the template's schema refuses is refused in the tenant too
    var bad = ts.api.request(io.vertx.core.http.HttpMethod.POST, "/api/v1/collections/notes/records", admin)
      .putHeader("X-Tenant-ID", "tpl-user");
    assertProblem(ts.api.send(bad, new JsonObject().put("title", 1)), 422);
  }

  @Test
  void theRequestsTierAndPlanWinOverTheTemplates() {
    assertThat(ts.api.post("/admin/v1/templates", admin, template("tpl-override")).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> made = ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "tpl-overridden")
      .put("name", "O").put("template", "tpl-override").put("isolation", "shared").put("plan", "default"));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    assertThat(made.bodyAsJsonObject().getString("isolation")).isEqualTo("shared");
    assertThat(ts.api.get("/admin/v1/tenants/tpl-overridden/limits", admin).bodyAsJsonObject().getString("plan"))
      .isEqualTo("default");
  }

  @Test
  void aParentsTenantAdminCreatesAChildFromATemplateButChoosesNoPlan() {
    assertThat(ts.api.post("/admin/v1/templates", admin, template("tpl-child")).statusCode()).isEqualTo(201);
    String parentAdmin = ts.tenantWithUser(admin, "tpl-parent", "tenant_admin");
    HttpResponse<Buffer> child = ts.api.post("/admin/v1/tenants", parentAdmin, new JsonObject().put("slug", "tpl-kid")
      .put("name", "K").put("parent", "tpl-parent").put("template", "tpl-child"));
    assertThat(child.statusCode()).as(child.bodyAsString()).isEqualTo(201);
    assertThat(child.bodyAsJsonObject().getString("status")).isEqualTo("active");
    assertThat(ts.api.get("/admin/v1/tenants/tpl-kid/limits", admin).bodyAsJsonObject().getString("plan")).isEqualTo("tpl-gold");
    assertProblem(ts.api.post("/admin/v1/tenants", parentAdmin, new JsonObject().put("slug", "tpl-kid2")
      .put("name", "K").put("parent", "tpl-parent").put("plan", "tpl-gold")), 403);
  }

  @Test
  void anUnknownTemplateOrPlanRefusesTheCreationAndLeavesNoTenant() {
    JsonObject problem = assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "tpl-none")
      .put("name", "N").put("template", "no-such-template")), 422);
    assertThat(problem.getString("pointer")).isEqualTo("/template");
    assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "tpl-none")
      .put("name", "N").put("plan", "no-such-plan")), 422);
    assertProblem(ts.api.get("/admin/v1/tenants/tpl-none", admin), 404);
  }
}
