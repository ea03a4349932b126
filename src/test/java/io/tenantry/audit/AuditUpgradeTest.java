package io.tenantry.audit;

import io.tenantry.provisioning.FleetMigrator;
import io.tenantry.provisioning.TenantMigrations;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schema- or database-tier tenant provisioned before the audit log existed (tenant migration V1 only) gets its
 * audit tables from the fleet migration (`tenantry migrate`), and its writes are audited from then on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditUpgradeTest {
  private TestServer ts;
  private String superAdmin;

  @BeforeAll
  void start() {
    ts = TestServer.start();
    superAdmin = ts.adminToken();
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"schema", "database"})
  void theFleetMigrationGivesAnOlderTenantItsAuditLog(String tier) throws SQLException {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "upgrade-" + tier, tier);
    downgrade(t);

    FleetMigrator.Report report = new FleetMigrator(ts.config).migrateAll();
    assertThat(report.failed()).isEmpty();
    assertThat(report.migrated()).isEqualTo(1);
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         var rs = st.executeQuery("SELECT schema_version FROM platform.tenants WHERE id = '" + t.id() + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(TenantMigrations.latest()).isGreaterThanOrEqualTo(2);
    }

    String id = t.createNote(1);
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE tenant_id = '" + t.id()
      + "' AND action = 'record.create' AND target = 'notes/" + id + "'")).isEqualTo(1);
    io.vertx.core.json.JsonObject verdict = t.verify(t.adminToken());
    assertThat(verdict.getBoolean("intact")).isTrue();
    assertThat(verdict.getLong("entries")).isPositive();
  }

  /**
   * The same upgrade without an operator: a write of the not-yet-migrated tenant is refused as retryable (nothing
   * stored without its entry), and a server started on the new release migrates it in the background.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"schema", "database"})
  void aStartingServerMigratesAnOlderTenantByItself(String tier) throws SQLException {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "upgrade-start-" + tier, tier);
    downgrade(t);
    var refused = ts.api.post(AuditTenant.NOTES, t.memberToken(), new io.vertx.core.json.JsonObject().put("n", 0));
    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(503);
    assertThat(refused.getHeader("Retry-After")).isNotNull();
    assertThat(t.count("SELECT count(*) FROM " + t.table("records") + " WHERE tenant_id = '" + t.id() + "'")).isZero();

    ts.restart();
    Eventually.within(java.time.Duration.ofSeconds(30), "the tenant migrated by the starting server",
      () -> schemaVersion(t) == TenantMigrations.latest());
    String id = t.createNote(2);
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE tenant_id = '" + t.id()
      + "' AND action = 'record.create' AND target = 'notes/" + id + "'")).isEqualTo(1);
  }

  /** Back to how a tenant of the previous release looked: tenant migration V1 only. */
  private void downgrade(AuditTenant t) throws SQLException {
    try (Connection c = TestEnv.connect(t.database(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      // what every tenant migration after V1 made (V3: files; V4 alters the audit log V2 creates), and their
      // history rows: Flyway refuses a gap
      st.execute("DROP TABLE " + t.table("audit_log") + ", " + t.table("audit_seal") + ", " + t.table("audit_anchor")
        + ", " + t.table("files"));
      // V6: the field functions
      st.execute("DROP FUNCTION " + t.table("record_text") + "(jsonb, text[]), " + t.table("record_number") + "(jsonb, text[]), "
        + t.table("record_number_key") + "(numeric), " + t.table("record_time") + "(jsonb, text[])");
      st.execute("DELETE FROM " + t.table("flyway_schema_history") + " WHERE version <> '1'");
    }
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("UPDATE platform.tenants SET schema_version = 1 WHERE id = '" + t.id() + "'");
    }
  }

  private int schemaVersion(AuditTenant t) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         var rs = st.executeQuery("SELECT schema_version FROM platform.tenants WHERE id = '" + t.id() + "'")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
