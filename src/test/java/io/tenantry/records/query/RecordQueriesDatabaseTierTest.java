package io.tenantry.records.query;

/** Record queries against a database-tier tenant. */
class RecordQueriesDatabaseTierTest extends RecordQueriesContract {
  @Override
  String isolation() {
    return "database";
  }
}
