package io.tenantry.records.indexes;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.tenantry.tenant.TenantNames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helpers for a tenant whose collection {@code items} holds {@link #ROWS} records {"amount": g, "code": "c-g"}
 * with an index declared on amount: where its records table is, which of its declared indexes a table holds, and
 * the filtered list the index serves (the server's 422 guard refuses it when no declared index serves it).
 */
public final class IndexedTenant {
  public static final int ROWS = 3000;
  public static final String COLLECTION = "items";

  /** A tenant's records table: its database and schema. */
  public record Table(String database, String schema) {
    /** Where the tenant row (admin API) says the tenant's records are. */
    public static Table of(TestServer ts, JsonObject tenant) {
      UUID id = UUID.fromString(tenant.getString("id"));
      return switch (tenant.getString("isolation")) {
        case "shared" -> new Table(ts.config.dbName(), "shared");
        case "schema" -> new Table(ts.config.dbName(), TenantNames.schema(id));
        default -> new Table(tenant.getJsonObject("database").getString("name"), TenantNames.DATABASE_TIER_SCHEMA);
      };
    }
  }

  private IndexedTenant() {
  }

  /** Fills the collection by SQL (faster than the API) and analyzes the table. */
  public static void fill(Table table, UUID tenant) throws SQLException {
    try (Connection c = TestEnv.connect(table.database(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("INSERT INTO \"" + table.schema() + "\".records (tenant_id, collection, id, data) SELECT '" + tenant
        + "', '" + COLLECTION + "', gen_random_uuid(), jsonb_build_object('amount', g, 'code', 'c-' || g) "
        + "FROM generate_series(1, " + ROWS + ") g");
      st.execute("ANALYZE \"" + table.schema() + "\".records");
    }
  }

  /** Declares the index on amount and waits until it is ready. */
  public static void declare(TestServer ts, String root, String slug) {
    HttpResponse<Buffer> put = ts.api.put(path(slug), root, new JsonObject().put("field", "amount"), null);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(202);
    waitReady(ts, root, slug);
  }

  public static void waitReady(TestServer ts, String root, String slug) {
    Eventually.within(Duration.ofSeconds(60), "the declared index is ready", () -> {
      JsonArray items = ts.api.get(collectionIndexes(slug), root).bodyAsJsonObject().getJsonArray("items");
      return items.size() == 1 && items.getJsonObject(0).getString("status").equals("ready");
    });
  }

  public static String collectionIndexes(String slug) {
    return "/admin/v1/tenants/" + slug + "/collections/" + COLLECTION + "/indexes";
  }

  private static String path(String slug) {
    return collectionIndexes(slug) + "/amount";
  }

  /** The tenant's valid rx_ indexes on the table (none when its schema or database is gone). */
  public static List<String> indexes(Table table, UUID tenant) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = TestEnv.connect("postgres", TestEnv.adminUser());
         PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, table.database());
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          return names;
        }
      }
    }
    try (Connection c = TestEnv.connect(table.database(), TestEnv.adminUser()); PreparedStatement ps = c.prepareStatement(
      "SELECT x.relname FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
        + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND t.relname = 'records' AND i.indisvalid "
        + "AND x.relname LIKE 'rx%' AND pg_get_expr(i.indpred, i.indrelid) LIKE ? ORDER BY x.relname COLLATE \"C\"")) {
      ps.setString(1, table.schema());
      ps.setString(2, "%" + tenant + "%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  /** The four indexes of the declaration on amount: the sort index and the typed _s, _n, _t. */
  public static List<String> declaredNames(UUID tenant) {
    return IndexDdl.indexNames(IndexDdl.indexName(tenant, COLLECTION, "amount", "amount")).stream().sorted().toList();
  }

  /**
   * The filter the index serves answers, with the records: amount >= ROWS - 10 is 11 records. A filter on code,
   * which no index serves, is refused (422): the guard is on, so the 200 is the declared index's doing.
   */
  public static void assertServed(TestServer ts, String token) {
    HttpResponse<Buffer> served = ts.api.get(list("filter[amount][gte]", String.valueOf(ROWS - 10)), token);
    assertThat(served.statusCode()).as(served.bodyAsString()).isEqualTo(200);
    JsonArray items = served.bodyAsJsonObject().getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getJsonObject("data").getInteger("amount")).sorted().toList())
      .isEqualTo(java.util.stream.IntStream.rangeClosed(ROWS - 10, ROWS).boxed().toList());
    HttpResponse<Buffer> unindexed = ts.api.get(list("filter[code]", "c-17"), token);
    assertThat(unindexed.statusCode()).as(unindexed.bodyAsString()).isEqualTo(422);
  }

  private static String list(String parameter, String value) {
    return "/api/v1/collections/" + COLLECTION + "/records?limit=100&" + URLEncoder.encode(parameter, StandardCharsets.UTF_8)
      + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
