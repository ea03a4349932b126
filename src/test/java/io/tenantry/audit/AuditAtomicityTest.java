package io.tenantry.audit;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record write and its audit entry are one statement: when the owner role makes every audit insert fail (a
 * trigger), creates, replacements, patches and deletes answer a problem and change nothing; once the trigger is
 * gone they work again, each with its entry. In every tier and in both db.tenant-context modes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditAtomicityTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private final Map<String, TestServer> servers = new HashMap<>();

  private TestServer server(String mode) {
    return servers.computeIfAbsent(mode, m -> TestServer.start(Map.of("db.tenant-context", m)));
  }

  @AfterAll
  void stop() {
    servers.values().forEach(TestServer::close);
  }

  @ParameterizedTest(name = "{0} tier, context per {1}")
  @CsvSource({"shared,statement", "schema,statement", "database,statement",
    "shared,transaction", "schema,transaction", "database,transaction"})
  void aWriteWhoseAuditEntryCannotBeStoredIsNotApplied(String tier, String mode) {
    TestServer ts = server(mode);
    AuditTenant t = AuditTenant.create(ts, ts.adminToken(), "atomic-" + tier.substring(0, 2) + "-" + SEQ.incrementAndGet(), tier);
    String existing = t.createNote(1);
    String path = AuditTenant.NOTES + "/" + existing;
    String trigger = "audit_refuses_" + SEQ.get();
    t.asOwner("CREATE FUNCTION " + t.table(trigger) + "() RETURNS trigger LANGUAGE plpgsql AS "
        + "$$ BEGIN IF NEW.action LIKE 'record.%' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$",
      "CREATE TRIGGER " + trigger + " BEFORE INSERT ON " + t.table("audit_log") + " FOR EACH ROW EXECUTE FUNCTION "
        + t.table(trigger) + "()");
    try {
      long records = records(t);
      long entries = entries(t);
      HttpResponse<Buffer> created = ts.api.post(AuditTenant.NOTES, t.memberToken(), new JsonObject().put("n", 2));
      assertProblem(created, 500);
      HttpResponse<Buffer> replaced = ts.api.put(path, t.memberToken(), new JsonObject().put("n", 3), null);
      assertProblem(replaced, 500);
      HttpResponse<Buffer> patched = ts.api.patch(path, t.memberToken(), new JsonObject().put("n", 4), null);
      assertProblem(patched, 500);
      HttpResponse<Buffer> deleted = ts.api.delete(path, t.memberToken(), null);
      assertProblem(deleted, 500);

      assertThat(records(t)).isEqualTo(records);
      assertThat(entries(t)).isEqualTo(entries);
      HttpResponse<Buffer> still = ts.api.get(path, t.memberToken());
      assertThat(still.statusCode()).isEqualTo(200);
      assertThat(still.bodyAsJsonObject().getLong("version")).isEqualTo(1L);
      assertThat(still.bodyAsJsonObject().getJsonObject("data").getInteger("n")).isEqualTo(1);
    } finally {
      t.asOwner("DROP TRIGGER " + trigger + " ON " + t.table("audit_log"), "DROP FUNCTION " + t.table(trigger) + "()");
    }

    String fresh = t.createNote(5);
    assertThat(ts.api.put(path, t.memberToken(), new JsonObject().put("n", 6), null).statusCode()).isEqualTo(200);
    assertThat(ts.api.delete(path, t.memberToken(), null).statusCode()).isEqualTo(204);
    for (String action : new String[] {"record.create", "record.update", "record.delete"}) {
      assertThat(t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE tenant_id = '" + t.id()
        + "' AND action = '" + action + "' AND target LIKE 'notes/%' AND actor_user = '" + t.memberId() + "'"))
        .as(action).isPositive();
    }
    assertThat(t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE tenant_id = '" + t.id()
      + "' AND target = 'notes/" + fresh + "' AND action = 'record.create' AND status = 201 AND outcome = 'success'"))
      .isEqualTo(1);
  }

  private static long records(AuditTenant t) {
    return t.count("SELECT count(*) FROM " + t.table("records") + " WHERE tenant_id = '" + t.id() + "'");
  }

  private static long entries(AuditTenant t) {
    return t.count("SELECT count(*) FROM " + t.table("audit_log") + " WHERE tenant_id = '" + t.id()
      + "' AND action LIKE 'record.%' AND outcome = 'success'");
  }
}
