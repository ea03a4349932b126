package io.tenantry.audit;

import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner role (who owns the audit tables and could change them) changes an entry, deletes one or changes a seal
 * after the sealer chained them: verify says the chain is broken and where, in every tier. The runtime role cannot
 * do any of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTamperTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
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

  /** Three sealed record entries; returns the id of the middle one (by time). */
  private String sealedEntries(AuditTenant t) {
    for (int i = 0; i < 3; i++) {
      t.createNote(i);
    }
    JsonObject intact = t.verify(t.adminToken());
    assertThat(intact.getBoolean("intact")).as(intact.encode()).isTrue();
    assertThat(intact.getLong("entries")).isGreaterThanOrEqualTo(3);
    assertThat(intact.getLong("unsealed")).isNotNull(); // best-effort entries (the users added) may land any time
    return middle(t);
  }

  private String middle(AuditTenant t) {
    try (var c = io.tenantry.support.TestEnv.connect(t.database(), io.tenantry.support.TestEnv.adminUser());
         var st = c.prepareStatement("SELECT id FROM " + t.table("audit_log")
           + " WHERE tenant_id = ? AND action = 'record.create' ORDER BY at, id OFFSET 1 LIMIT 1")) {
      st.setObject(1, t.id());
      try (var rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private AuditTenant tenant(String tier) {
    return AuditTenant.create(ts, superAdmin, "tamper-" + tier.substring(0, 2) + "-" + SEQ.incrementAndGet(), tier);
  }

  private static void assertBrokenAt(JsonObject verdict, String entryId, String reason) {
    assertThat(verdict.getBoolean("intact")).as(verdict.encode()).isFalse();
    JsonObject broken = verdict.getJsonObject("first_broken");
    assertThat(broken.getLong("position")).isPositive();
    if (entryId != null) {
      assertThat(broken.getString("entry_id")).isEqualTo(entryId);
    }
    assertThat(broken.getString("reason")).contains(reason);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void anEntryChangedByTheOwnerIsDetected(String tier) {
    AuditTenant t = tenant(tier);
    String victim = sealedEntries(t);
    t.asOwner("UPDATE " + t.table("audit_log") + " SET actor_user = NULL WHERE id = '" + victim + "'");
    assertBrokenAt(t.verify(t.adminToken()), victim, "changed");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void anEntryDeletedByTheOwnerIsDetected(String tier) {
    AuditTenant t = tenant(tier);
    String victim = sealedEntries(t);
    t.asOwner("DELETE FROM " + t.table("audit_log") + " WHERE id = '" + victim + "'");
    assertBrokenAt(t.verify(t.adminToken()), victim, "missing");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void aSealChangedByTheOwnerIsDetected(String tier) {
    AuditTenant t = tenant(tier);
    String victim = sealedEntries(t);
    t.asOwner("UPDATE " + t.table("audit_seal") + " SET hash = sha256('forged'::bytea) WHERE entry_id = '" + victim + "'");
    assertBrokenAt(t.verify(superAdmin), victim, "changed");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void aSealDeletedByTheOwnerLeavesAGap(String tier) {
    AuditTenant t = tenant(tier);
    String victim = sealedEntries(t);
    t.asOwner("DELETE FROM " + t.table("audit_seal") + " WHERE entry_id = '" + victim + "'");
    assertBrokenAt(t.verify(t.adminToken()), null, "seal is missing");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void theRuntimeRoleMayOnlyInsertAndSelect(String tier) {
    AuditTenant t = tenant(tier);
    sealedEntries(t);
    for (String table : new String[] {"audit_log", "audit_seal"}) {
      assertThat(t.count("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = '"
        + ts.config.appRole() + "' AND table_schema = '" + t.schema() + "' AND table_name = '" + table
        + "' AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')")).as(table).isZero();
      assertThat(t.count("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = '"
        + ts.config.appRole() + "' AND table_schema = '" + t.schema() + "' AND table_name = '" + table
        + "' AND privilege_type IN ('INSERT', 'SELECT')")).as(table).isEqualTo(2);
    }
    assertThat(t.count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + t.schema()
      + "' AND tablename = 'audit_log' AND tableowner = '" + ts.config.ownerRole() + "'")).isEqualTo(1);
    assertThat(t.verify(t.adminToken()).getBoolean("intact")).isTrue();
  }
}
