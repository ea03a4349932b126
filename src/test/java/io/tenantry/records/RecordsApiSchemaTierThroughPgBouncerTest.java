package io.tenantry.records;

import io.tenantry.support.TestEnv;
import org.junit.jupiter.api.Assumptions;

import java.util.Map;

/** The records API against a schema-tier tenant, the server's connections going through PgBouncer (transaction mode). */
class RecordsApiSchemaTierThroughPgBouncerTest extends RecordsApiContract {
  @Override
  String isolation() {
    return "schema";
  }

  @Override
  Map<String, String> connection() {
    // asked first thing in the @BeforeAll: without PgBouncer the class is skipped before any server starts
    Assumptions.assumeTrue(TestEnv.pgBouncerRunning(), "needs PgBouncer on " + TestEnv.pgBouncerPort() + " (.ci/pgbouncer.sh)");
    return TestEnv.throughPgBouncer();
  }
}
