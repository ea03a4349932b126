package io.tenantry.isolation;

import io.tenantry.support.TestEnv;
import org.junit.jupiter.api.Assumptions;

import java.util.Map;

/**
 * The pooled-connection attacks with the server's connections going through PgBouncer in transaction mode, where
 * one server connection serves many clients' transactions in turn: the classic place for one tenant's session
 * state to leak into another's request. Here with db.tenant-context=transaction (BEGIN; SET LOCAL; ...; COMMIT).
 */
class PgBouncerTransactionContextAttacksTest extends PooledConnectionAttacksTest {
  @Override
  protected String tenantContext() {
    return "transaction";
  }

  @Override
  protected Map<String, String> connection() {
    // asked first thing in the @BeforeAll: without PgBouncer the class is skipped before any server starts
    Assumptions.assumeTrue(TestEnv.pgBouncerRunning(), "needs PgBouncer on " + TestEnv.pgBouncerPort() + " (.ci/pgbouncer.sh)");
    return TestEnv.throughPgBouncer();
  }

  @Override
  protected io.vertx.core.json.JsonObject databaseServer() {
    return new io.vertx.core.json.JsonObject().put("host", TestEnv.pgHost()).put("port", TestEnv.pgPort());
  }
}
