package io.tenantry.records.indexes;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A declaration made before platform V60 has its sort index only (the jsonb expression, which no filter can use
 * under forced row-level security) and typed = false. The next start builds its typed indexes on the field
 * functions, and the filter it refused becomes an index search.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedIndexUpgradeTest {
  private static final String ORDERS = "/api/v1/collections/orders/records";
  private TestServer ts;
  private String member;
  private String admin;
  private UUID tenant;

  @BeforeAll
  void start() throws SQLException {
    ts = TestServer.start(Map.of("records.max-rows-scanned", "1000",
      "db.connect-timeout-ms", "30000", "tenancy.queue-timeout-ms", "30000"));
    String superAdmin = ts.adminToken();
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", "upgrade").put("name", "Upgrade").put("isolation", "shared"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    tenant = UUID.fromString(created.bodyAsJsonObject().getString("id"));
    ts.addUser(superAdmin, "upgrade", "member@upgrade.test", "member");
    ts.addUser(superAdmin, "upgrade", "admin@upgrade.test", "tenant_admin");
    member = ts.api.token("member@upgrade.test", "password-of-member@upgrade.test", "upgrade");
    admin = ts.api.token("admin@upgrade.test", "password-of-admin@upgrade.test", "upgrade");
    try (Connection c = platform(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO shared.records (tenant_id, collection, id, data) SELECT '" + tenant + "', 'orders', "
        + "gen_random_uuid(), jsonb_build_object('total', g) FROM generate_series(1, 5000) g");
      st.execute("ANALYZE shared.records");
    }
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private Connection platform() throws SQLException {
    return TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
  }

  private HttpResponse<Buffer> filter() {
    return ts.api.get(ORDERS + "?" + URLEncoder.encode("filter[total][gte]", StandardCharsets.UTF_8) + "=4990&limit=100",
      member);
  }

  private String typedAndIndexes(String indexName) throws SQLException {
    try (Connection c = platform(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
      "SELECT (SELECT typed FROM platform.record_indexes WHERE tenant_id = '" + tenant + "' AND name = 'total') || ':' "
        + "|| (SELECT count(*) FROM pg_indexes WHERE schemaname = 'shared' AND indexname LIKE '" + indexName + "%')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void theNextStartBuildsTheTypedIndexesOfAnOlderDeclaration() throws SQLException {
    String route = "/admin/v1/tenants/upgrade/collections/orders/indexes/total";
    assertThat(ts.api.put(route, admin, new JsonObject().put("field", "total"), null).statusCode()).isEqualTo(202);
    String indexName = IndexDdl.indexName(tenant, "orders", "total", "total");
    Eventually.within(Duration.ofSeconds(60), "the index is ready", () -> {
      try {
        return typedAndIndexes(indexName).equals("true:4");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(filter().statusCode()).isEqualTo(200);

    // as a declaration of the previous release stands: its sort index, typed = false
    try (Connection c = platform(); Statement st = c.createStatement()) {
      for (String suffix : new String[] {"_s", "_n", "_t"}) {
        st.execute("DROP INDEX shared." + indexName + suffix);
      }
      st.execute("UPDATE platform.record_indexes SET typed = false WHERE tenant_id = '" + tenant + "'");
    }
    assertThat(typedAndIndexes(indexName)).isEqualTo("false:1");
    assertProblem(filter(), 422);

    ts.restart();
    member = ts.api.token("member@upgrade.test", "password-of-member@upgrade.test", "upgrade");
    admin = ts.api.token("admin@upgrade.test", "password-of-admin@upgrade.test", "upgrade");
    Eventually.within(Duration.ofSeconds(60), "the typed indexes are rebuilt", () -> {
      try {
        return typedAndIndexes(indexName).equals("true:4");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    HttpResponse<Buffer> served = filter();
    assertThat(served.statusCode()).as(served.bodyAsString()).isEqualTo(200);
    assertThat(served.bodyAsJsonObject().getJsonArray("items")).hasSize(11);
    JsonObject declared = ts.api.get(route.substring(0, route.lastIndexOf('/')), admin).bodyAsJsonObject()
      .getJsonArray("items").getJsonObject(0);
    assertThat(declared.getString("status")).isEqualTo("ready");
  }
}
