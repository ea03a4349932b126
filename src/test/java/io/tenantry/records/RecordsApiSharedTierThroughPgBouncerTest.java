package io.tenantry.records;

import io.tenantry.support.TestEnv;
import org.junit.jupiter.api.Assumptions;

import java.util.Map;

/** The records API against a shared-tier tenant, the server's connections going through PgBouncer (transaction mode). */
@org.junit.jupiter.api.Disabled("Vert.x pg client 5.0.7 prepares even unnamed statements in a round trip of "
  + "their own; PgBouncer 1.18 (Debian) in transaction mode may run the execute on another server connection: "
  + "'unnamed prepared statement does not exist'. Needs PgBouncer >= 1.21 with max_prepared_statements "
  + "(docs/operations/pgbouncer.md)")
class RecordsApiSharedTierThroughPgBouncerTest extends RecordsApiContract {
  @Override
  String isolation() {
    return "shared";
  }

  @Override
  Map<String, String> connection() {
    // asked first thing in the @BeforeAll: without PgBouncer the class is skipped before any server starts
    Assumptions.assumeTrue(TestEnv.pgBouncerRunning(), "needs PgBouncer on " + TestEnv.pgBouncerPort() + " (.ci/pgbouncer.sh)");
    return TestEnv.throughPgBouncer();
  }
}
