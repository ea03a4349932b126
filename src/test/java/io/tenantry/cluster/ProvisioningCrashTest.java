package io.tenantry.cluster;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigLoader;
import io.tenantry.provisioning.TenantMigrations;
import io.tenantry.support.Api;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.tenantry.cluster.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real node (a JVM running {@code Main serve}) killed with SIGKILL in the middle of a provisioning step leaves a
 * tenant that the next node to start completes: its schema or database exists and is migrated, every step is done,
 * and nothing half-made is left that no tenant owns.
 */
class ProvisioningCrashTest {
  private static final String PAUSE = "tenantry.test.provisioning-pause-at";

  @ParameterizedTest(name = "{0} tier, killed during {1}")
  @CsvSource({"database, migrations", "schema, seed_records"})
  void aNodeKilledMidStepLeavesATenantTheNextStartCompletes(String tier, String step) throws Exception {
    Map<String, String> flags = new HashMap<>(TestServer.flags(Map.of("http.instances", "1")));
    Config config = ConfigLoader.load(null, Map.of(), flags);
    Vertx vertx = Vertx.vertx();
    String slug = "crash-" + tier;
    try {
      String id;
      try (TenantryProcess first = TenantryProcess.serve(flags, Map.of(PAUSE, step))) {
        Api api = TenantryProcess.api(vertx, flags);
        String admin = first.ready(api);
        HttpResponse<Buffer> template = api.post("/admin/v1/templates", admin, template());
        assertThat(template.statusCode()).as(template.bodyAsString()).isEqualTo(201);
        var create = api.request(HttpMethod.POST, "/admin/v1/tenants", admin).putHeader("Prefer", "respond-async");
        HttpResponse<Buffer> accepted = api.send(create, new JsonObject().put("slug", slug).put("name", "C")
          .put("isolation", tier).put("template", "crash-kit"));
        assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
        id = accepted.bodyAsJsonObject().getString("id");
        within(Duration.ofSeconds(60), step + " running", () -> "running".equals(state(api, admin, slug, step)));
        first.kill();
      }
      assertThat(one(config.dbName(), "SELECT status FROM platform.tenants WHERE id = '" + id + "'")).isEqualTo("provisioning");
      assertThat(one(config.dbName(), "SELECT state FROM platform.provisioning_steps WHERE tenant_id = '" + id
        + "' AND name = '" + step + "'")).isEqualTo("running");

      if (tier.equals("database")) { // half-made: the database is there, its tables are not
        assertThat(one(config.dbName() + "_t_" + id.replace("-", ""), "SELECT to_regclass('tenant.records') IS NULL"))
          .isEqualTo("t");
      }
      flags.put("http.port", Integer.toString(TestServer.freePort()));
      try (TenantryProcess second = TenantryProcess.serve(flags)) {
        Api api = TenantryProcess.api(vertx, flags);
        String admin = second.ready(api);
        within(Duration.ofSeconds(90), slug + " active after the restart",
          () -> "active".equals(api.get("/admin/v1/tenants/" + slug + "/provisioning", admin).bodyAsJsonObject()
            .getString("status")));
        JsonArray steps = api.get("/admin/v1/tenants/" + slug + "/provisioning", admin).bodyAsJsonObject().getJsonArray("steps");
        steps.forEach(s -> assertThat(((JsonObject) s).getString("state")).as(s.toString()).isIn("done", "skipped"));
        JsonObject tenant = api.get("/admin/v1/tenants/" + slug, admin).bodyAsJsonObject();
        assertThat(tenant.getInteger("schema_version")).isEqualTo(TenantMigrations.latest());
        var read = api.request(HttpMethod.GET, "/api/v1/collections/notes/records", admin).putHeader("X-Tenant-ID", slug);
        HttpResponse<Buffer> records = api.send(read);
        assertThat(records.statusCode()).as(records.bodyAsString()).isEqualTo(200);
        assertThat(records.bodyAsJsonObject().getJsonArray("items")).hasSize(1); // seeded once, not twice
        second.terminate();
        second.awaitExit(60);
      }
      String home = tier.equals("database")
        ? one("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + config.dbName() + "_t_" + id.replace("-", "") + "'")
        : one(config.dbName(), "SELECT count(*) FROM pg_namespace WHERE nspname = 't_" + id.replace("-", "") + "'");
      assertThat(home).isEqualTo("1");
    } finally {
      vertx.close();
      TestEnv.dropDatabase(config.dbName(), config.appRole(), config.ownerRole());
    }
  }

  private static JsonObject template() {
    JsonObject schema = new JsonObject().put("type", "object")
      .put("properties", new JsonObject().put("title", new JsonObject().put("type", "string")));
    return new JsonObject().put("name", "crash-kit").put("config", new JsonObject().put("locale", "en"))
      .put("collections", new JsonObject().put("notes", new JsonObject().put("schema", schema)
        .put("records", new JsonArray().add(new JsonObject().put("title", "seeded")))));
  }

  private static String state(Api api, String admin, String slug, String step) {
    HttpResponse<Buffer> r = api.get("/admin/v1/tenants/" + slug + "/provisioning", admin);
    if (r.statusCode() != 200) {
      return null;
    }
    for (Object s : r.bodyAsJsonObject().getJsonArray("steps")) {
      if (step.equals(((JsonObject) s).getString("name"))) {
        return ((JsonObject) s).getString("state");
      }
    }
    return null;
  }

  private static String one(String database, String sql) throws SQLException {
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
