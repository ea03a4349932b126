package io.tenantry.records.query;

/** Record queries against a schema-tier tenant. */
class RecordQueriesSchemaTierTest extends RecordQueriesContract {
  @Override
  String isolation() {
    return "schema";
  }
}
