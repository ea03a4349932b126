package io.tenantry.provisioning;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Creating tenants in each tier makes their schema or database; deleting removes every trace. */
class TenantLifecycleTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static String admin;

  @BeforeAll
  static void start() {
    ts = TestServer.start(java.util.Map.of("tenancy.delete-grace-seconds", "1"));
    admin = ts.adminToken();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static JsonObject create(JsonObject body) {
    HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants", admin, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static String one(String database, String sql) throws SQLException {
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void aSchemaTenantGetsItsOwnSchemaNamedAfterItsIdWithForcedRls() throws SQLException {
    JsonObject tenant = create(new JsonObject().put("slug", "in-schema").put("name", "S").put("isolation", "schema"));
    String schema = "t_" + tenant.getString("id").replace("-", "");
    assertThat(tenant.getInteger("schema_version")).isEqualTo(TenantMigrations.latest());
    assertThat(one(ts.config.dbName(), "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = '"
      + schema + ".records'::regclass")).isEqualTo("t");
    assertThat(one(ts.config.dbName(), "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = '" + schema + "'"))
      .isEqualTo(ts.config.ownerRole());
  }

  @Test
  void aDatabaseTenantGetsADatabaseNamedAfterThePlatformDatabase() throws SQLException {
    JsonObject tenant = create(new JsonObject().put("slug", "in-db").put("name", "D").put("isolation", "database"));
    String database = ts.config.dbName() + "_t_" + tenant.getString("id").replace("-", "");
    assertThat(tenant.getJsonObject("database").getString("name")).isEqualTo(database);
    assertThat(database.length()).isLessThanOrEqualTo(63);
    assertThat(one(database, "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'tenant.records'::regclass"))
      .isEqualTo("t");
    assertThat(one("postgres", "SELECT has_database_privilege('" + ts.config.appRole() + "', '" + database + "', 'TEMPORARY')"))
      .isEqualTo("f");
  }

  @Test
  void aDatabaseTenantCanNameItsDatabaseButNeverAnExistingOne() {
    String name = ts.config.dbName() + "_custom";
    JsonObject tenant = create(new JsonObject().put("slug", "named-db").put("name", "N").put("isolation", "database")
      .put("database", new JsonObject().put("name", name).put("host", TestEnv.pgHost()).put("port", TestEnv.pgPort())));
    assertThat(tenant.getJsonObject("database").getString("name")).isEqualTo(name);
    assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "steal-platform").put("name", "X")
      .put("isolation", "database").put("database", new JsonObject().put("name", ts.config.dbName()))), 409);
    assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "steal-postgres").put("name", "X")
      .put("isolation", "database").put("database", new JsonObject().put("name", "postgres"))), 400);
    assertThat(ts.api.get("/admin/v1/tenants/steal-platform", admin).statusCode()).isEqualTo(404);
  }

  @Test
  void invalidTierRequestsAreBadRequests() {
    assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "bad-tier").put("name", "X")
      .put("isolation", "private")), 400);
    assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "bad-target").put("name", "X")
      .put("isolation", "schema").put("database", new JsonObject().put("name", "elsewhere"))), 400);
    assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "bad-name").put("name", "X")
      .put("isolation", "database").put("database", new JsonObject().put("name", "Bad\"Name"))), 400);
    assertProblem(ts.api.post("/admin/v1/tenants", admin, new JsonObject()
      .put("slug", "01a219f6-6a58-7550-a5b3-ac6522c808fe").put("name", "Looks like an id")), 400);
  }

  @Test
  void deletingATenantRemovesItsRowsSchemaOrDatabase() throws SQLException {
    for (String tier : new String[] {"shared", "schema", "database"}) {
      String slug = "doomed-" + tier;
      JsonObject tenant = create(new JsonObject().put("slug", slug).put("name", "D").put("isolation", tier));
      assertThat(ts.api.post(NOTES, admin, new JsonObject().put("x", 1)).statusCode()).isIn(400); // no tenant named
      var write = ts.api.request(io.vertx.core.http.HttpMethod.POST, NOTES, admin).putHeader("X-Tenant-ID", slug);
      assertThat(ts.api.send(write, new JsonObject().put("x", 1)).statusCode()).isEqualTo(201);

      assertThat(ts.api.delete("/admin/v1/tenants/" + slug, admin, null).statusCode()).isEqualTo(204);
      var read = ts.api.request(io.vertx.core.http.HttpMethod.GET, NOTES, admin).putHeader("X-Tenant-ID", slug);
      assertProblem(ts.api.send(read), 404);
      // the delete is soft; the purge removes everything once the grace period (1 s here) is over
      String id = tenant.getString("id");
      io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(30), "the purge of " + slug, () -> {
        try {
          return "1".equals(one(ts.config.dbName(), "SELECT count(*) FROM platform.tenant_purges WHERE tenant_id = '" + id + "'"));
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      assertProblem(ts.api.get("/admin/v1/tenants/" + slug, admin), 404);
      assertThat(one(ts.config.dbName(), "SELECT count(*) FROM shared.records WHERE tenant_id = '" + id + "'")).isEqualTo("0");
      assertThat(one(ts.config.dbName(), "SELECT count(*) FROM pg_namespace WHERE nspname = 't_" + id.replace("-", "") + "'"))
        .isEqualTo("0");
      assertThat(one("postgres", "SELECT count(*) FROM pg_database WHERE datname = '"
        + ts.config.dbName() + "_t_" + id.replace("-", "") + "'")).isEqualTo("0");
    }
  }

  @Test
  void onlySuperAdminsDeleteTenants() {
    String member = ts.tenantWithUser(admin, "keeper", "tenant_admin");
    assertProblem(ts.api.delete("/admin/v1/tenants/keeper", member, null), 403);
    assertThat(ts.api.get("/admin/v1/tenants/keeper", admin).statusCode()).isEqualTo(200);
  }
}
