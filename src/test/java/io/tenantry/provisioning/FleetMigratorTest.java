package io.tenantry.provisioning;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet migration: brings every schema- and database-tier tenant to the latest version in parallel, skips
 * current tenants, records failures and carries on, resumes them on the next run, and never works on a tenant
 * another migrator holds.
 */
class FleetMigratorTest {
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static Connection platform() throws SQLException {
    return TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
  }

  /** A tenant row whose schema does not exist yet, as if provisioning had been interrupted. */
  private static UUID unprovisioned(String slug, String isolation, String dbHost, Integer dbPort, String dbName) throws SQLException {
    UUID id = UUID.randomUUID();
    try (Connection c = platform(); PreparedStatement ps = c.prepareStatement(
      "INSERT INTO platform.tenants (id, slug, name, status, isolation, db_host, db_port, db_name) "
        + "VALUES (?, ?, ?, 'provisioning', ?, ?, ?, ?)")) {
      ps.setObject(1, id);
      ps.setString(2, slug);
      ps.setString(3, slug);
      ps.setString(4, isolation);
      ps.setString(5, dbHost);
      ps.setObject(6, dbPort);
      ps.setString(7, dbName);
      ps.executeUpdate();
    }
    return id;
  }

  private static String one(String sql) throws SQLException {
    try (Connection c = platform(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void migratesFromEmptyThenSkipsCurrentTenantsAndResumesFailures() throws SQLException {
    List<UUID> fresh = List.of(unprovisioned("fleet-a", "schema", null, null, null),
      unprovisioned("fleet-b", "schema", null, null, null),
      unprovisioned("fleet-c", "database", TestEnv.pgHost(), TestEnv.pgPort(), ts.config.dbName() + "_fleet_c"));
    int closedPort = 1;
    UUID broken = unprovisioned("fleet-broken", "database", "127.0.0.1", closedPort, ts.config.dbName() + "_fleet_broken");

    FleetMigrator.Report first = new FleetMigrator(ts.config).migrateAll();
    assertThat(first.migrated()).isEqualTo(3);
    assertThat(first.failed()).extracting(FleetMigrator.Outcome::slug).containsExactly("fleet-broken");
    for (UUID id : fresh) {
      assertThat(one("SELECT status || ':' || schema_version FROM platform.tenants WHERE id = '" + id + "'"))
        .isEqualTo("active:" + TenantMigrations.latest());
    }
    assertThat(one("SELECT migration_error FROM platform.tenants WHERE id = '" + broken + "'")).isNotBlank();
    assertThat(new FleetMigrator(ts.config).status()).anyMatch(line -> line.startsWith("fleet-broken") && line.contains("provisioning"));

    FleetMigrator.Report second = new FleetMigrator(ts.config).migrateAll();
    assertThat(second.migrated()).isZero();
    assertThat(second.failed()).hasSize(1);
    assertThat(second.current()).isEqualTo(second.total() - 1);

    try (Connection c = platform(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE platform.tenants SET db_port = " + TestEnv.pgPort() + " WHERE id = '" + broken + "'");
    }
    FleetMigrator.Report third = new FleetMigrator(ts.config).migrateAll();
    assertThat(third.migrated()).isEqualTo(1);
    assertThat(third.failed()).isEmpty();
    assertThat(one("SELECT coalesce(migration_error, 'none') || ':' || status FROM platform.tenants WHERE id = '" + broken + "'"))
      .isEqualTo("none:active");
  }

  @Test
  void aTenantHeldByAnotherMigratorIsSkippedAndLeftForItsHolder() throws Exception {
    UUID id = unprovisioned("fleet-held", "schema", null, null, null);
    try (Connection holder = platform(); PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
      lock.setString(1, "tenantry-tenant-migration:" + id);
      lock.execute();
      FleetMigrator.Report report = new FleetMigrator(ts.config).migrateAll();
      assertThat(report.busy()).isEqualTo(1);
      assertThat(report.failed()).isEmpty();
      assertThat(one("SELECT coalesce(migration_error, 'none') || ':' || schema_version FROM platform.tenants WHERE id = '" + id + "'"))
        .isEqualTo("none:0");
    }
    assertThat(new FleetMigrator(ts.config).migrateAll().failed()).isEmpty();
    assertThat(one("SELECT schema_version FROM platform.tenants WHERE id = '" + id + "'"))
      .isEqualTo(Integer.toString(TenantMigrations.latest()));
  }

  @Test
  void twoMigratorsRacingMigrateEachTenantExactlyOnce() throws Exception {
    List<UUID> ids = List.of(unprovisioned("race-1", "schema", null, null, null),
      unprovisioned("race-2", "schema", null, null, null), unprovisioned("race-3", "schema", null, null, null));
    CompletableFuture<FleetMigrator.Report> one = CompletableFuture.supplyAsync(() -> new FleetMigrator(ts.config).migrateAll());
    CompletableFuture<FleetMigrator.Report> two = CompletableFuture.supplyAsync(() -> new FleetMigrator(ts.config).migrateAll());
    assertThat(one.get().failed()).isEmpty();
    assertThat(two.get().failed()).isEmpty();
    for (UUID id : ids) {
      String schema = "t_" + id.toString().replace("-", "");
      assertThat(one("SELECT count(*) FROM \"" + schema + "\".flyway_schema_history WHERE type = 'SQL'"))
        .isEqualTo(Integer.toString(TenantMigrations.latest()));
    }
  }
}
