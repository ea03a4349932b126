package io.tenantry.isolation;

import io.tenantry.support.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * PostgreSQL itself, queried as the runtime role: no context sees nothing, another tenant's context sees nothing,
 * escalation fails, leaky functions and constraint errors reveal nothing. The gates at the end inspect the catalog
 * of the platform database and of every tenant database, so a future migration that forgets RLS, adds an
 * always-true policy, a SECURITY DEFINER function or a definer-rights view fails the build.
 */
class DatabaseGatesTest extends AttackSuite {
  /**
   * Control-plane tables that carry tenant_id without RLS, each for a stated reason. Adding a table here is a
   * reviewed decision, not an accident.
   */
  private static final Set<String> CONTROL_PLANE = Set.of(
    "platform.memberships", // read at login, before any tenant context can exist
    "platform.invitations", // found by its token's hash when accepted, before any tenant context can exist
    "platform.tenant_limits", // rate-limit overrides: super-admin data, reloaded for all tenants in one query per node
    "platform.storage_reservations", // quota reservations and blobs to sweep: the sweeper reads them across tenants
    // committed file usage per tenant: a subtree-shared quota sums it over the subtree's tenants in one query
    "platform.storage_usage",
    "platform.api_keys", // found by the key's id when a key is verified, before any tenant context can exist
    "platform.refresh_tokens", // found by the token's hash at a refresh, before any tenant context can exist
    // configuration values: every statement keyed by tenant id; each node re-reads its cached tenants' values in one
    // query (docs/configuration.md)
    "platform.tenant_settings",
    "platform.user_settings",
    "platform.custom_domains", // the host -> tenant map, read whole by every node to name a request's tenant
    // the record of a purge, written after the tenant is gone; no tenant's request reads it (docs/tenants.md#lifecycle)
    "platform.tenant_purges",
    // provisioning runs before the tenant's context means anything (its home may not exist yet), is resumed for every
    // unfinished tenant at start, and is read by admins only (docs/tenants.md#provisioning)
    "platform.provisioning_jobs",
    "platform.provisioning_steps",
    // subtree budgets: loaded with the rate limits of a tenant's ancestors, before its request is admitted
    "platform.subtree_limits",
    // one counter of changes to any tenant's limits, read by every node's limits cache (docs/rate-limits.md)
    "platform.limits_version",
    // export jobs: super-admin control-plane data, written by the node that runs the export (docs/export-format.md)
    "platform.export_jobs",
    // usage and billing: written by every node for many tenants in one statement, read by admins and the finalize
    // job across a payer's subtree (docs/billing.md); no tenant's data-plane request reads them
    "platform.usage_flushes",
    "platform.usage_hourly",
    "platform.usage_active_users",
    "platform.subscriptions",
    "platform.billing_accounts",
    "platform.invoices",
    "platform.invoice_lines",
    // online move jobs: super-admin control-plane data, written by the node that runs the move
    // (docs/operations/tenant-moves.md)
    "platform.relocation_jobs"
  );

  private Connection asRuntimeRole(String database) throws SQLException {
    return TestEnv.connect(database, world.ts.config.appRole());
  }

  private Connection asAdmin(String database) throws SQLException {
    return TestEnv.connect(database, TestEnv.adminUser());
  }

  private static void setContext(Connection c, UUID tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
      ps.setString(1, tenant.toString());
      ps.execute();
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The platform database and every database-tier tenant database. */
  private List<String> allDatabases() throws SQLException {
    try (Connection c = asAdmin("postgres")) {
      return strings(c, "SELECT datname FROM pg_database WHERE datdba = '" + world.ts.config.ownerRole() + "'::regrole "
        + "OR datname = '" + world.ts.config.dbName() + "'");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void runtimeRoleWithoutContextSeesNothingOfB(Pairing p) throws SQLException {
    Side b = world.b(p);
    try (Connection c = asRuntimeRole(b.database())) {
      assertThat(count(c, "SELECT count(*) FROM " + b.table())).isZero();
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("RESET app.tenant_id");
      }
      assertThat(count(c, "SELECT count(*) FROM " + b.table())).isZero();
      c.rollback();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void runtimeRoleWithAContextSeesNothingOfB(Pairing p) throws SQLException {
    Side b = world.b(p);
    try (Connection c = asRuntimeRole(b.database())) {
      c.setAutoCommit(false);
      setContext(c, world.a(p).id());
      assertThat(count(c, "SELECT count(*) FROM " + b.table() + " WHERE tenant_id = '" + b.id() + "'")).isZero();
      assertThat(count(c, "SELECT count(*) FROM " + b.table() + " WHERE data::text LIKE '%" + b.secret() + "%'")).isZero();
      c.rollback();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void runtimeRoleWithAContextCannotChangeB(Pairing p) throws SQLException {
    Side b = world.b(p);
    try (Connection c = asRuntimeRole(b.database()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      setContext(c, world.a(p).id());
      String ofB = " WHERE tenant_id = '" + b.id() + "' OR data::text LIKE '%" + b.secret() + "%'";
      assertThat(st.executeUpdate("UPDATE " + b.table() + " SET data = '{}'" + ofB)).isZero();
      assertThat(st.executeUpdate("DELETE FROM " + b.table() + ofB)).isZero();
      SQLException refused = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO " + b.table()
        + " (tenant_id, collection, id, data) VALUES ('" + b.id() + "', 'notes', gen_random_uuid(), '{}')"));
      assertThat(refused.getSQLState()).isIn("42501", "23514");
      assertThat(refused.getMessage()).doesNotContain(b.secret());
      c.rollback();
    }
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void runtimeRoleCannotEscalate(Pairing p) throws SQLException {
    Side b = world.b(p);
    String owner = world.ts.config.ownerRole();
    for (String attempt : List.of("SET ROLE \"" + owner + "\"", "SET ROLE " + TestEnv.adminUser(),
      "SET SESSION AUTHORIZATION " + TestEnv.adminUser(), "ALTER TABLE " + b.table() + " DISABLE ROW LEVEL SECURITY",
      "ALTER TABLE " + b.table() + " NO FORCE ROW LEVEL SECURITY", "DROP POLICY tenant_isolation ON " + b.table(),
      "TRUNCATE " + b.table(), "CREATE TABLE " + "\"" + b.schema() + "\".stolen AS SELECT * FROM " + b.table(),
      "CREATE TEMP TABLE stolen (x int)", "GRANT \"" + owner + "\" TO CURRENT_USER")) {
      try (Connection c = asRuntimeRole(b.database()); Statement st = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> st.execute(attempt), attempt);
        assertThat(e.getSQLState()).as(attempt).isIn("42501", "42883", "0LP01");
      }
    }
    try (Connection c = asRuntimeRole(b.database()); Statement st = c.createStatement()) {
      st.execute("SET row_security = off");
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM " + b.table()));
      assertThat(e.getSQLState()).isEqualTo("42501");
    }
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void leakyFunctionInAFilterRevealsNothingOfB(Pairing p) throws SQLException {
    Side b = world.b(p);
    String app = world.ts.config.appRole();
    try (Connection admin = asAdmin(b.database()); Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS attack");
      st.execute("CREATE OR REPLACE FUNCTION attack.leak(t text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 "
        + "AS $$ BEGIN RAISE NOTICE 'leak: %', t; RETURN true; END $$");
      st.execute("GRANT USAGE ON SCHEMA attack TO \"" + app + "\"");
      st.execute("GRANT EXECUTE ON FUNCTION attack.leak(text) TO \"" + app + "\"");
    }
    try (Connection c = asRuntimeRole(b.database()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      setContext(c, world.a(p).id());
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + b.table() + " WHERE attack.leak(data::text)")) {
        rs.next();
      }
      StringBuilder notices = new StringBuilder();
      for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
        notices.append(w.getMessage()).append('\n');
      }
      assertThat(notices.toString()).doesNotContain(b.secret()).doesNotContain(b.id().toString());
      if (b.table().equals(world.a(p).table()) && b.database().equals(world.a(p).database())) {
        // Same shared table: the function did run, on A's own rows only.
        assertThat(notices.toString()).contains(world.a(p).secret());
      }
      c.rollback();
    } finally {
      try (Connection admin = asAdmin(b.database()); Statement st = admin.createStatement()) {
        st.execute("DROP SCHEMA attack CASCADE");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void uniqueAndForeignKeyViolationsRevealNothingOfB(Pairing p) throws SQLException {
    Side a = world.a(p);
    Side b = world.b(p);
    try (Connection c = asRuntimeRole(a.database()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      setContext(c, a.id());
      // B's record id is free in A's table: uniqueness never crosses tenants, so it cannot be probed.
      assertThat(st.executeUpdate("INSERT INTO " + a.table() + " (tenant_id, collection, id, data) VALUES ('"
        + a.id() + "', 'notes', '" + b.noteIds().get(0) + "', '{}')")).isEqualTo(1);
      SQLException duplicate = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO " + a.table()
        + " (tenant_id, collection, id, data) VALUES ('" + a.id() + "', 'notes', '" + b.noteIds().get(0) + "', '{}')"));
      assertThat(duplicate.getSQLState()).isEqualTo("23505");
      assertThat(duplicate.getMessage()).doesNotContain(b.id().toString()).doesNotContain(b.secret());
      c.rollback();
    }
    if (a.tier().equals("shared")) {
      UUID ghost = UUID.randomUUID();
      try (Connection c = asRuntimeRole(a.database()); Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        setContext(c, ghost);
        SQLException fk = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO shared.records "
          + "(tenant_id, collection, id, data) VALUES ('" + ghost + "', 'notes', gen_random_uuid(), '{}')"));
        assertThat(fk.getSQLState()).isEqualTo("23503");
        assertThat(fk.getMessage()).doesNotContain(b.id().toString()).doesNotContain(b.slug());
        c.rollback();
      }
    }
  }

  @Test
  void everyTenantTableHasForcedRlsWithUsingAndWithCheck() throws SQLException {
    Set<String> unprotected = new TreeSet<>();
    int checked = 0;
    for (String database : allDatabases()) {
      try (Connection c = asAdmin(database)) {
        List<String> tables = strings(c, "SELECT DISTINCT n.nspname || '.' || cl.relname FROM pg_attribute a "
          + "JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
          + "WHERE a.attname = 'tenant_id' AND NOT a.attisdropped AND cl.relkind IN ('r', 'p') "
          + "AND n.nspname NOT IN ('pg_catalog', 'information_schema')");
        for (String table : tables) {
          if (CONTROL_PLANE.contains(table)) {
            continue;
          }
          checked++;
          long ok = count(c, "SELECT count(*) FROM pg_class cl WHERE cl.oid = '" + quote(table) + "'::regclass "
            + "AND cl.relrowsecurity AND cl.relforcerowsecurity "
            + "AND EXISTS (SELECT 1 FROM pg_policy pol WHERE pol.polrelid = cl.oid) "
            + "AND NOT EXISTS (SELECT 1 FROM pg_policy pol WHERE pol.polrelid = cl.oid "
            + "  AND (pol.polqual IS NULL OR (pol.polcmd IN ('*', 'a', 'w') AND pol.polwithcheck IS NULL)))");
          if (ok != 1) {
            unprotected.add(database + ":" + table);
          }
        }
      }
    }
    assertThat(checked).as("tenant tables found").isGreaterThanOrEqualTo(1 + 4 + 4);
    assertThat(unprotected).as("tenant tables without forced RLS and USING + WITH CHECK").isEmpty();
  }

  @Test
  void noPolicyIsAlwaysTrue() throws SQLException {
    for (String database : allDatabases()) {
      try (Connection c = asAdmin(database)) {
        assertThat(strings(c, "SELECT schemaname || '.' || tablename || ':' || policyname FROM pg_policies "
          + "WHERE trim(coalesce(qual, '')) IN ('true', '(true)') OR trim(coalesce(with_check, '')) IN ('true', '(true)') "
          + "OR permissive = 'PERMISSIVE' AND qual IS NULL"))
          .as("always-true policies in %s", database).isEmpty();
      }
    }
  }

  @Test
  void runtimeRoleIsPlainOwnsNothingAndCannotTruncateOrCreate() throws SQLException {
    String app = world.ts.config.appRole();
    try (Connection c = asAdmin("postgres")) {
      assertThat(count(c, "SELECT count(*) FROM pg_roles WHERE rolname = '" + app + "' AND NOT rolsuper AND NOT rolbypassrls "
        + "AND NOT rolcreatedb AND NOT rolcreaterole AND NOT rolreplication")).isEqualTo(1);
      assertThat(count(c, "SELECT count(*) FROM pg_database WHERE datdba = '" + app + "'::regrole")).isZero();
    }
    for (String database : allDatabases()) {
      try (Connection c = asAdmin(database)) {
        assertThat(strings(c, "SELECT relname FROM pg_class WHERE relowner = '" + app + "'::regrole")).as(database).isEmpty();
        assertThat(strings(c, "SELECT nspname FROM pg_namespace WHERE nspowner = '" + app + "'::regrole")).as(database).isEmpty();
        assertThat(strings(c, "SELECT proname FROM pg_proc WHERE proowner = '" + app + "'::regrole")).as(database).isEmpty();
        assertThat(strings(c, "SELECT n.nspname || '.' || cl.relname FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace "
          + "WHERE cl.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
          + "AND has_table_privilege('" + app + "', cl.oid, 'TRUNCATE')")).as("truncatable in %s", database).isEmpty();
        assertThat(strings(c, "SELECT nspname FROM pg_namespace WHERE has_schema_privilege('" + app + "', oid, 'CREATE')"))
          .as("schemas the runtime role may create in, in %s", database).isEmpty();
        assertThat(count(c, "SELECT count(*) FROM pg_database WHERE datname = current_database() "
          + "AND has_database_privilege('" + app + "', oid, 'TEMPORARY')")).as("TEMPORARY on %s", database).isZero();
      }
    }
  }

  @Test
  void noSecurityDefinerFunctionOrDefinerRightsViewIsReachable() throws SQLException {
    String app = world.ts.config.appRole();
    for (String database : allDatabases()) {
      try (Connection c = asAdmin(database)) {
        assertThat(strings(c, "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
          + "WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
          + "AND has_function_privilege('" + app + "', p.oid, 'EXECUTE')")).as("SECURITY DEFINER in %s", database).isEmpty();
        assertThat(strings(c, "SELECT n.nspname || '.' || cl.relname FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace "
          + "WHERE cl.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
          + "AND has_table_privilege('" + app + "', cl.oid, 'SELECT') "
          + "AND NOT coalesce(array_to_string(cl.reloptions, ',') ~ 'security_invoker=(true|on|1)', false)"))
          .as("views without security_invoker in %s", database).isEmpty();
      }
    }
  }

  /**
   * LEAKPROOF is a promise PostgreSQL takes on trust: the planner then runs the function on rows the policy hides.
   * Outside the catalog only the reviewed field functions (platform V60, tenant V6;
   * docs/security/isolation.md#leakproof-field-functions) may make it, owned by a superuser (so the owner role cannot
   * replace a body) and not SECURITY DEFINER; and they must make it in every database, or data filters lose their
   * indexes.
   */
  @Test
  void theOnlyLeakproofFunctionsAreTheReviewedFieldFunctions() throws SQLException {
    Set<String> reviewed = Set.of("record_text", "record_number", "record_number_key", "record_time");
    for (String database : allDatabases()) {
      try (Connection c = asAdmin(database)) {
        List<String> leakproof = strings(c, "SELECT p.proname || ':' || r.rolsuper || ':' || p.prosecdef FROM pg_proc p "
          + "JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner "
          + "WHERE p.proleakproof AND n.nspname NOT IN ('pg_catalog', 'information_schema')");
        assertThat(leakproof).as("leakproof functions in %s", database).isNotEmpty();
        for (String function : leakproof) {
          String[] parts = function.split(":");
          assertThat(reviewed).as("%s in %s", function, database).contains(parts[0]);
          assertThat(parts[1]).as("%s in %s is owned by a superuser", parts[0], database).isEqualTo("true");
          assertThat(parts[2]).as("%s in %s is not SECURITY DEFINER", parts[0], database).isEqualTo("false");
        }
      }
    }
  }

  private static String quote(String qualified) {
    String[] parts = qualified.split("\\.", 2);
    return "\"" + parts[0] + "\".\"" + parts[1] + "\"";
  }
}
