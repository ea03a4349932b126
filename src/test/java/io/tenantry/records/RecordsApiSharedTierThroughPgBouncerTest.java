package io.tenantry.records;

import io.tenantry.support.TestEnv;
import org.junit.jupiter.api.Assumptions;

import java.util.Map;

/** The records API against a shared-tier tenant, the server's connections going through PgBouncer (transaction mode). */
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
