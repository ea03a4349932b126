package io.tenantry.cluster;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigLoader;
import io.tenantry.support.Api;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tenantry.cluster.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real node (a JVM running {@code Main serve}) killed with SIGKILL in the middle of an online move — its copy made,
 * catching up — leaves the tenant serving on its old tier with all its data once the node is back (the move marked
 * failed, the half-made copy removed), and the move can then be run again to its end.
 */
class MoveCrashTest {
  private static final String PAUSE = "tenantry.test.relocation-pause-at";
  private static final int SEEDED = 50_000;
  private static final int WRITTEN = 10;

  @Test
  void aNodeKilledMidMoveLeavesTheTenantServingOnItsOldTierAndTheMoveCanBeRetried() throws Exception {
    // the restarted node must be the same node (host and port name a move's node), so the same port
    Map<String, String> flags = new HashMap<>(TestServer.flags(Map.of("http.instances", "1",
      "relocations.grace-seconds", "1", "relocations.drain-ms", "300", "audit.seal-interval-ms", "100")));
    Config config = ConfigLoader.load(null, Map.of(), flags);
    Vertx vertx = Vertx.vertx();
    String slug = "crash-move";
    try {
      String id;
      String token;
      List<String> written = new ArrayList<>();
      String moveId;
      try (TenantryProcess first = TenantryProcess.serve(flags, Map.of(PAUSE, "catching_up"))) {
        Api api = TenantryProcess.api(vertx, flags);
        String admin = first.ready(api);
        HttpResponse<Buffer> created = api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", slug)
          .put("name", "Crash move").put("isolation", "shared"));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        id = created.bodyAsJsonObject().getString("id");
        token = member(api, admin, slug);
        for (int i = 0; i < WRITTEN; i++) {
          HttpResponse<Buffer> r = api.post("/api/v1/collections/notes/records", token, new JsonObject().put("n", i));
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
          written.add(r.bodyAsJsonObject().getString("id"));
        }
        execute(config.dbName(), "INSERT INTO shared.records (tenant_id, collection, id, data) SELECT '" + id
          + "', 'bulk', gen_random_uuid(), jsonb_build_object('n', n, 'text', repeat('x', 100)) FROM generate_series(1, "
          + SEEDED + ") n");
        HttpResponse<Buffer> move = api.post("/admin/v1/tenants/" + slug + "/relocations", admin,
          new JsonObject().put("isolation", "schema"));
        assertThat(move.statusCode()).as(move.bodyAsString()).isEqualTo(202);
        moveId = move.bodyAsJsonObject().getString("id");
        String job = "/admin/v1/tenants/" + slug + "/relocations/" + moveId;
        within(Duration.ofSeconds(120), "the move copied the tenant and is catching up",
          () -> "catching_up".equals(api.get(job, admin).bodyAsJsonObject().getString("phase")));
        assertThat(one(config.dbName(), "SELECT count(*) FROM " + schema(id) + ".records"))
          .as("the copy, half-made").isEqualTo(Integer.toString(SEEDED + WRITTEN));
        first.kill();
      }
      assertThat(one(config.dbName(), "SELECT isolation FROM platform.tenants WHERE id = '" + id + "'")).isEqualTo("shared");

      try (TenantryProcess second = TenantryProcess.serve(flags)) {
        Api api = TenantryProcess.api(vertx, flags);
        String admin = second.ready(api);
        JsonObject failed = api.get("/admin/v1/tenants/" + slug + "/relocations/" + moveId, admin).bodyAsJsonObject();
        assertThat(failed.getString("phase")).as(failed.encode()).isEqualTo("failed");
        assertThat(failed.getString("error")).contains("stopped");
        assertThat(api.get("/admin/v1/tenants/" + slug, admin).bodyAsJsonObject().getString("isolation")).isEqualTo("shared");
        within(Duration.ofSeconds(30), "the half-made copy is removed",
          () -> "0".equals(one(config.dbName(), "SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema(id) + "'")));
        // serving on its old tier, all its data there
        assertThat(one(config.dbName(), "SELECT count(*) FROM shared.records WHERE tenant_id = '" + id + "'"))
          .isEqualTo(Integer.toString(SEEDED + WRITTEN));
        token = api.token("member@" + slug + ".test", "password-of-a-member-123", slug);
        for (String record : written) {
          HttpResponse<Buffer> read = api.get("/api/v1/collections/notes/records/" + record, token);
          assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
        }
        HttpResponse<Buffer> write = api.post("/api/v1/collections/notes/records", token, new JsonObject().put("n", 99));
        assertThat(write.statusCode()).as(write.bodyAsString()).isEqualTo(201);

        // the move again, to its end
        HttpResponse<Buffer> again = api.post("/admin/v1/tenants/" + slug + "/relocations", admin,
          new JsonObject().put("isolation", "schema"));
        assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(202);
        String job = "/admin/v1/tenants/" + slug + "/relocations/" + again.bodyAsJsonObject().getString("id");
        JsonObject[] last = new JsonObject[1];
        within(Duration.ofSeconds(120), "the retried move ends", () -> {
          last[0] = api.get(job, admin).bodyAsJsonObject();
          return Set.of("done", "failed", "cancelled").contains(last[0].getString("phase"));
        });
        assertThat(last[0].getString("phase")).as(last[0].encode()).isEqualTo("done");
        assertThat(last[0].getInteger("write_pause_ms")).isNotNull();
        assertThat(api.get("/admin/v1/tenants/" + slug, admin).bodyAsJsonObject().getString("isolation")).isEqualTo("schema");
        assertThat(one(config.dbName(), "SELECT count(*) FROM " + schema(id) + ".records"))
          .isEqualTo(Integer.toString(SEEDED + WRITTEN + 1));
        assertThat(one(config.dbName(), "SELECT count(*) FROM shared.records WHERE tenant_id = '" + id + "'")).isEqualTo("0");
        for (String record : written) {
          assertThat(api.get("/api/v1/collections/notes/records/" + record, token).statusCode()).isEqualTo(200);
        }
        JsonObject verified = api.get("/admin/v1/tenants/" + slug + "/audit/verify", admin).bodyAsJsonObject();
        assertThat(verified.getBoolean("intact")).as(verified.encode()).isTrue();
        second.terminate();
        second.awaitExit(60);
      }
    } finally {
      vertx.close();
      TestEnv.dropDatabase(config.dbName(), config.appRole(), config.ownerRole());
    }
  }

  private static String schema(String tenantId) {
    return "t_" + tenantId.replace("-", "");
  }

  /** A tenant admin of the tenant, signed in. */
  private static String member(Api api, String admin, String slug) {
    HttpResponse<Buffer> user = api.post("/admin/v1/tenants/" + slug + "/users", admin, new JsonObject()
      .put("email", "member@" + slug + ".test").put("password", "password-of-a-member-123").put("role", "tenant_admin"));
    assertThat(user.statusCode()).as(user.bodyAsString()).isEqualTo(201);
    return api.token("member@" + slug + ".test", "password-of-a-member-123", slug);
  }

  private static void execute(String database, String sql) throws SQLException {
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String one(String database, String sql) {
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
