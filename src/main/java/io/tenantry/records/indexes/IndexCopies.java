package io.tenantry.records.indexes;

import io.tenantry.config.Config;
import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.records.query.FieldFunctions;
import io.tenantry.records.query.FieldRef;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.TenantNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's declared indexes on one copy of its records (a {@link Home}), whatever made that copy: a move's target
 * before and after its cut-over, an import's new tenant, a move's old copy going away. The declarations in
 * platform.record_indexes say what must exist; {@link #build} makes the copy hold exactly that (CREATE INDEX
 * CONCURRENTLY, as {@link IndexBuilder} does, under the same locks), {@link #drop} removes every index of the tenant
 * from a copy. Blocking JDBC: move and transfer workers only.
 */
public final class IndexCopies {
  private static final Logger LOG = LoggerFactory.getLogger(IndexCopies.class);
  private static final String DECLARED = "SELECT collection, name, field, index_name, status FROM platform.record_indexes "
    + "WHERE tenant_id = ? ORDER BY collection, name";
  /** The tenant's declared indexes on a records table: named rx_ and partial on its tenant id (IndexDdl). */
  private static final String PRESENT = "SELECT x.relname, i.indisvalid FROM pg_index i "
    + "JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
    + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND t.relname = 'records' "
    + "AND x.relname LIKE 'rx\\_%' AND pg_get_expr(i.indpred, i.indrelid) LIKE ?";
  private static final String READY = "UPDATE platform.record_indexes SET status = 'ready', error = NULL, typed = ?, "
    + "updated_at = now() WHERE tenant_id = ? AND collection = ? AND name = ? AND status <> 'dropping' "
    + "AND (status <> 'ready' OR typed <> ?)";
  private static final String FAILED = "UPDATE platform.record_indexes SET status = 'failed', error = ?, updated_at = now() "
    + "WHERE tenant_id = ? AND collection = ? AND name = ? AND status <> 'dropping'";
  /** rx_ and 32 hex digits: a declaration's sort index; its typed indexes add _s, _n or _t. */
  private static final int BASE_NAME = 35;

  /** One copy of a tenant's records: its tier, its database (database tier), the tenant migration it is at. */
  public record Home(UUID tenant, Isolation tier, DbTarget database, int schemaVersion) {
    String schema() {
      return switch (tier) {
        case SHARED -> "shared";
        case SCHEMA -> TenantNames.schema(tenant);
        case DATABASE -> TenantNames.DATABASE_TIER_SCHEMA;
      };
    }

    FieldFunctions functions() {
      return FieldFunctions.of(tier, schemaVersion, schema());
    }
  }

  private final Config config;
  private final IndexDdlRunner runner;

  public IndexCopies(Config config) {
    this.config = config;
    this.runner = new IndexDdlRunner(config);
  }

  /**
   * Builds at {@code home} each declaration (but those being dropped) that it lacks, each build ending with ANALYZE.
   * With {@code record}, home is where the tenant lives: indexes of the tenant there that no declaration names (one
   * deleted while the copy was made) are dropped, and each declaration's status says what the copy now holds (ready,
   * or failed with PostgreSQL's message). Without it (a copy not serving yet), a build that fails is only logged:
   * the recording pass after the cut-over tries it again.
   */
  public void build(Home home, boolean record) throws SQLException {
    // What is there before what is declared: an index built for a declaration made meanwhile is then declared too,
    // never taken for one left by a deletion.
    Map<String, Boolean> present = present(home);
    List<IndexDeclaration> declared = declared(home.tenant());
    FieldFunctions functions = home.functions();
    Set<String> named = new HashSet<>();
    for (IndexDeclaration d : declared) {
      named.add(d.indexName());
      if ("dropping".equals(d.status())) {
        continue;
      }
      String error = null;
      try {
        if (!complete(d, functions, present)) {
          List<String> statements = new ArrayList<>(IndexDdl.create(home.schema(), d, functions));
          statements.add(IndexDdl.analyze(home.schema()));
          runner.run(runner.database(home.database()), home.schema(), d.indexName(), statements);
        }
      } catch (IndexDdlRunner.Busy e) {
        continue; // whoever holds it builds this very table's index and stores its outcome
      } catch (SQLException | RuntimeException e) {
        error = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.warn("index {} of tenant {} collection {} not built on its {} copy: {}", d.name(), home.tenant(),
          d.collection(), home.tier().sql(), error);
      }
      if (record) {
        status(d, error, functions != null);
      }
    }
    if (record) {
      Set<String> undeclared = new HashSet<>();
      present.keySet().forEach(name -> undeclared.add(base(name)));
      undeclared.removeAll(named);
      for (String base : undeclared) {
        dropAll(home, base);
      }
    }
  }

  /**
   * Drops every index (and statistics) of the tenant from {@code home}'s records table: those its declarations name
   * and any other of the tenant found there. What a copy in shared.records needs when it goes (a schema or database
   * goes whole, its indexes with it): the indexes there are partial on the tenant's rows and would stay behind.
   */
  public void drop(Home home) throws SQLException {
    Set<String> bases = new HashSet<>();
    present(home).keySet().forEach(name -> bases.add(base(name)));
    declared(home.tenant()).forEach(d -> bases.add(d.indexName()));
    for (String base : bases) {
      dropAll(home, base);
    }
  }

  private void dropAll(Home home, String base) throws SQLException {
    List<String> statements = new ArrayList<>();
    for (String name : IndexDdl.indexNames(base)) {
      statements.add(IndexDdl.drop(home.schema(), name));
      statements.add(IndexDdl.dropStatistics(home.schema(), name));
    }
    try {
      runner.run(runner.database(home.database()), home.schema(), base, statements);
    } catch (IndexDdlRunner.Busy e) {
      LOG.warn("index {} of tenant {} not dropped from its {} copy: another node is building it there", base,
        home.tenant(), home.tier().sql());
    }
  }

  /** Every index the declaration builds at a home with these functions is there and valid. */
  private static boolean complete(IndexDeclaration d, FieldFunctions functions, Map<String, Boolean> present) {
    List<String> expected = FieldRef.parse(d.field(), "field").data() && functions != null
      ? IndexDdl.indexNames(d.indexName()) : List.of(d.indexName());
    return expected.stream().allMatch(name -> Boolean.TRUE.equals(present.get(name)));
  }

  private static String base(String indexName) {
    return indexName.length() > BASE_NAME ? indexName.substring(0, BASE_NAME) : indexName;
  }

  private List<IndexDeclaration> declared(UUID tenant) throws SQLException {
    List<IndexDeclaration> all = new ArrayList<>();
    try (Connection c = platform(tenant); PreparedStatement ps = c.prepareStatement(DECLARED)) {
      ps.setObject(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(new IndexDeclaration(tenant, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), null, null, null));
        }
      }
    }
    return all;
  }

  /** The tenant's rx_ indexes on the home's records table, and whether each is valid. */
  private Map<String, Boolean> present(Home home) throws SQLException {
    Map<String, Boolean> found = new LinkedHashMap<>();
    try (Connection c = AdminJdbc.connect(runner.database(home.database()));
         PreparedStatement ps = c.prepareStatement(PRESENT)) {
      ps.setString(1, home.schema());
      ps.setString(2, "%tenant_id = '" + home.tenant() + "'::uuid%");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), rs.getBoolean(2));
        }
      }
    }
    return found;
  }

  private void status(IndexDeclaration d, String error, boolean typed) throws SQLException {
    try (Connection c = platform(d.tenantId());
         PreparedStatement ps = c.prepareStatement(error == null ? READY : FAILED)) {
      int i = 1;
      if (error == null) {
        ps.setBoolean(i++, typed);
      } else {
        ps.setString(i++, error);
      }
      ps.setObject(i++, d.tenantId());
      ps.setString(i++, d.collection());
      ps.setString(i++, d.name());
      if (error == null) {
        ps.setBoolean(i, typed);
      }
      ps.executeUpdate();
    }
  }

  /** The platform database with the tenant's context for the session: record_indexes has forced row-level security. */
  private Connection platform(UUID tenant) throws SQLException {
    PgUrl url = config.dbAdminUrl().withDatabase(config.dbName());
    Connection c = AdminJdbc.connect(url);
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
      ps.setString(1, tenant.toString());
      ps.execute();
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }
}
