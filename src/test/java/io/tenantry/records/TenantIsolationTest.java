package io.tenantry.records;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Tenant B must never read, change or even see tenant A's records — and PostgreSQL itself guarantees it. */
class TenantIsolationTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static String tokenA;
  private static String tokenB;
  private static final List<String> idsOfA = new ArrayList<>();

  @BeforeAll
  static void twoTenantsWithRecords() {
    ts = TestServer.start();
    String admin = ts.adminToken();
    tokenA = ts.tenantWithUser(admin, "tenant-a", "member");
    tokenB = ts.tenantWithUser(admin, "tenant-b", "member");
    for (int i = 0; i < 3; i++) {
      idsOfA.add(ts.api.post(NOTES, tokenA, new JsonObject().put("owner", "a").put("n", i)).bodyAsJsonObject().getString("id"));
      ts.api.post(NOTES, tokenB, new JsonObject().put("owner", "b").put("n", i));
    }
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @Test
  void tenantBCannotReadTenantARecordById() {
    for (String id : idsOfA) {
      assertProblem(ts.api.get(NOTES + "/" + id, tokenB), 404);
    }
  }

  @Test
  void tenantBCannotReplaceTenantARecord() {
    assertProblem(ts.api.put(NOTES + "/" + idsOfA.get(0), tokenB, new JsonObject().put("owner", "b"), null), 404);
    assertProblem(ts.api.put(NOTES + "/" + idsOfA.get(0), tokenB, new JsonObject().put("owner", "b"), "*"), 404);
    assertUnchanged(idsOfA.get(0));
  }

  @Test
  void tenantBCannotPatchTenantARecord() {
    assertProblem(ts.api.patch(NOTES + "/" + idsOfA.get(1), tokenB, new JsonObject().put("owner", "b"), "\"1\""), 404);
    assertUnchanged(idsOfA.get(1));
  }

  @Test
  void tenantBCannotDeleteTenantARecord() {
    assertProblem(ts.api.delete(NOTES + "/" + idsOfA.get(2), tokenB, null), 404);
    assertUnchanged(idsOfA.get(2));
  }

  @Test
  void listsContainOnlyTheCallersRecords() {
    JsonArray itemsB = ts.api.get(NOTES + "?limit=500", tokenB).bodyAsJsonObject().getJsonArray("items");
    assertThat(itemsB).hasSize(3);
    itemsB.forEach(item -> assertThat(((JsonObject) item).getJsonObject("data").getString("owner")).isEqualTo("b"));
    JsonArray itemsA = ts.api.get(NOTES + "?limit=500", tokenA).bodyAsJsonObject().getJsonArray("items");
    assertThat(itemsA).hasSize(3);
    itemsA.forEach(item -> assertThat(((JsonObject) item).getJsonObject("data").getString("owner")).isEqualTo("a"));
  }

  @Test
  void aCursorFromTenantAIsRefusedForTenantB() {
    HttpResponse<Buffer> firstPageA = ts.api.get(NOTES + "?limit=1", tokenA);
    String cursor = firstPageA.bodyAsJsonObject().getString("next_cursor");
    assertThat(cursor).isNotNull();
    HttpResponse<Buffer> refused = ts.api.get(NOTES + "?limit=500&cursor=" + cursor, tokenB);
    assertThat(refused.statusCode()).as("a cursor is signed for its tenant").isEqualTo(400);
    assertThat(refused.bodyAsString()).doesNotContain("\"owner\":\"a\"");
    JsonArray itemsB = ts.api.get(NOTES + "?limit=500", tokenB).bodyAsJsonObject().getJsonArray("items");
    assertThat(itemsB).isNotEmpty();
    itemsB.forEach(item -> assertThat(((JsonObject) item).getJsonObject("data").getString("owner")).isEqualTo("b"));
  }

  @Test
  void theRuntimeRoleWithoutTenantContextSeesNoRows() throws SQLException {
    try (Connection c = TestEnv.connect(ts.config.dbName(), ts.config.appRole()); Statement st = c.createStatement()) {
      assertThat(count(st, "SELECT count(*) FROM shared.records")).isZero();
      // A context left over from a committed transaction reads as '' — still nothing.
      c.setAutoCommit(false);
      st.execute("SELECT set_config('app.tenant_id', (SELECT id::text FROM platform.tenants WHERE slug = 'tenant-a'), true)");
      assertThat(count(st, "SELECT count(*) FROM shared.records")).isEqualTo(3);
      c.commit();
      assertThat(count(st, "SELECT count(*) FROM shared.records")).isZero();
      c.rollback();
    }
  }

  @Test
  void theRuntimeRoleCannotWriteRowsForAnotherTenant() throws SQLException {
    try (Connection c = TestEnv.connect(ts.config.dbName(), ts.config.appRole()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("SELECT set_config('app.tenant_id', (SELECT id::text FROM platform.tenants WHERE slug = 'tenant-b'), true)");
      assertThat(st.executeUpdate("UPDATE shared.records SET data = '{\"owner\":\"hacked\"}'")).isEqualTo(3);
      SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> st.executeUpdate(
        "INSERT INTO shared.records (tenant_id, collection, id, data) "
          + "SELECT id, 'notes', gen_random_uuid(), '{}' FROM platform.tenants WHERE slug = 'tenant-a'"));
      assertThat(refused.getSQLState()).isEqualTo("42501"); // new row violates row-level security policy
      c.rollback();
    }
    assertUnchanged(idsOfA.get(0));
  }

  private static long count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void assertUnchanged(String idOfA) {
    HttpResponse<Buffer> r = ts.api.get(NOTES + "/" + idOfA, tokenA);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject record = r.bodyAsJsonObject();
    assertThat(record.getLong("version")).isEqualTo(1L);
    assertThat(record.getJsonObject("data").getString("owner")).isEqualTo("a");
  }
}
