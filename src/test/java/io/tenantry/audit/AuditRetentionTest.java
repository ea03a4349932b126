package io.tenantry.audit;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * audit.retention_days: entries older than it are pruned (by the owner role) as a sealed prefix of the chain, whose
 * last hash stays as the anchor verify starts from: what remains verifies intact, in every tier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditRetentionTest {
  private TestServer ts;
  private String superAdmin;

  @BeforeAll
  void start() {
    ts = TestServer.start(Map.of("audit.prune-interval-seconds", "1"));
    superAdmin = ts.adminToken();
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void entriesOlderThanTheRetentionArePrunedAndTheRestStillVerifies(String tier) {
    AuditTenant t = AuditTenant.create(ts, superAdmin, "retain-" + tier, tier);
    for (int i = 0; i < 4; i++) {
      t.createNote(i);
    }
    assertThat(t.verify(t.adminToken()).getBoolean("intact")).isTrue();
    // The two first sealed entries are made old (which the chain notices — until they are pruned).
    t.asOwner("UPDATE " + t.table("audit_log") + " SET at = at - interval '10 days' WHERE id IN (SELECT entry_id FROM "
      + t.table("audit_seal") + " WHERE position <= 2)");
    assertThat(t.verify(t.adminToken()).getBoolean("intact")).isFalse();
    String sealedThird = "(SELECT entry_id FROM " + t.table("audit_seal") + " WHERE tenant_id = '" + t.id()
      + "' AND position = 3)";
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE id = " + sealedThird)).isEqualTo(1);

    HttpResponse<Buffer> set = ts.api.send(ts.api.request(HttpMethod.PUT,
      "/admin/v1/tenants/" + t.slug() + "/config/audit.retention_days", t.adminToken()), new JsonObject().put("value", 5));
    assertThat(set.statusCode()).as(set.bodyAsString()).isIn(200, 201);

    Eventually.within(Duration.ofSeconds(20), "the old entries pruned", () -> t.count("SELECT count(*) FROM "
      + t.table("audit_anchor") + " WHERE tenant_id = '" + t.id() + "'") > 0);
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE tenant_id = '" + t.id()
      + "' AND at < now() - interval '5 days'")).isZero();
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_seal") + " WHERE tenant_id = '" + t.id()
      + "' AND position <= 2")).isZero();
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE id = " + sealedThird))
      .as("the entries within the retention stay").isEqualTo(1);
    JsonObject verdict = t.verify(t.adminToken());
    assertThat(verdict.getBoolean("intact")).as(verdict.encode()).isTrue();
    assertThat(verdict.getJsonObject("anchor").getLong("position")).isEqualTo(2L);
    assertThat(verdict.getLong("entries")).isGreaterThanOrEqualTo(2);
  }
}
