package io.tenantry.audit;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sealer's reading of unsealed entries, in every tier: a sealing that takes several batches chains them all in
 * time order, and an entry that committed behind the chain's head (within the regular turn's look-back) is chained
 * after the head by the next turn.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditSealerTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private TestServer ts;
  private String superAdmin;

  @BeforeAll
  void start() {
    ts = TestServer.start(Map.of("audit.seal-interval-ms", "100"));
    superAdmin = ts.adminToken();
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private AuditTenant tenant(String tier) {
    return AuditTenant.create(ts, superAdmin, "sealer-" + tier.substring(0, 2) + "-" + SEQ.incrementAndGet(), tier);
  }

  @ParameterizedTest
  @ValueSource(strings = {"shared", "schema", "database"})
  void aSealingOfSeveralBatchesChainsEveryEntryInTimeOrder(String tier) {
    AuditTenant t = tenant(tier);
    int written = AuditSealer.BATCH * 2 + 500;
    // entries a second apart, the oldest first, written past the API as a bulk of writes would leave them
    t.asOwner("INSERT INTO " + t.table("audit_log") + " (tenant_id, id, at, action, target, outcome, status) "
      + "SELECT '" + t.id() + "', gen_random_uuid(), now() - make_interval(secs => " + written + " - n), "
      + "'record.create', 'notes/' || n, 'success', 201 FROM generate_series(1, " + written + ") n");

    JsonObject verdict = t.verify(t.adminToken());

    assertThat(verdict.getBoolean("intact")).as(verdict.encode()).isTrue();
    // (the users' entries are written in the background and may land after the sealing: not counted here)
    assertThat(verdict.getJsonObject("sealed_through").getLong("position")).isGreaterThanOrEqualTo(written);
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_seal") + " s JOIN " + t.table("audit_log")
      + " a ON a.tenant_id = s.tenant_id AND a.id = s.entry_id WHERE s.tenant_id = '" + t.id() + "' AND a.target LIKE "
      + "'notes/%'")).isEqualTo(written);
    // position order is time order: no seal of a later entry comes before a seal of an earlier one
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_seal") + " s JOIN " + t.table("audit_log")
      + " a ON a.tenant_id = s.tenant_id AND a.id = s.entry_id JOIN " + t.table("audit_seal") + " s2 ON s2.tenant_id = "
      + "s.tenant_id AND s2.position = s.position + 1 JOIN " + t.table("audit_log") + " a2 ON a2.tenant_id = "
      + "s2.tenant_id AND a2.id = s2.entry_id WHERE s.tenant_id = '" + t.id() + "' AND a2.at < a.at")).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"shared", "schema", "database"})
  void anEntryCommittedBehindTheHeadIsChainedAfterIt(String tier) {
    AuditTenant t = tenant(tier);
    t.createNote(1);
    JsonObject sealed = t.verify(t.adminToken());
    long head = sealed.getJsonObject("sealed_through").getLong("position");
    // a write whose transaction began 3 s before the head's entry and committed only now
    t.asOwner("INSERT INTO " + t.table("audit_log") + " (tenant_id, id, at, action, target, outcome, status) "
      + "SELECT '" + t.id() + "', '00000000-0000-4000-8000-000000000001', a.at - interval '3 seconds', "
      + "'record.update', 'notes/late', 'success', 200 FROM " + t.table("audit_seal") + " s JOIN "
      + t.table("audit_log") + " a ON a.tenant_id = s.tenant_id AND a.id = s.entry_id "
      + "WHERE s.tenant_id = '" + t.id() + "' ORDER BY s.position DESC LIMIT 1");
    t.createNote(2); // marks the tenant for the next regular turn

    String lateSeal = "SELECT coalesce(max(position), 0) FROM " + t.table("audit_seal") + " WHERE tenant_id = '"
      + t.id() + "' AND entry_id = '00000000-0000-4000-8000-000000000001'";
    Eventually.within(Duration.ofSeconds(20), "the late entry sealed by a regular turn", () -> t.count(lateSeal) > 0);

    assertThat(t.count(lateSeal)).isGreaterThan(head);
    JsonObject verdict = t.verify(t.adminToken());
    assertThat(verdict.getBoolean("intact")).as(verdict.encode()).isTrue();
    assertThat(verdict.getLong("unsealed")).as(verdict.encode()).isZero();
  }
}
