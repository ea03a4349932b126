package io.tenantry.records.query;

/** Record queries against a shared-tier tenant. */
class RecordQueriesSharedTierTest extends RecordQueriesContract {
  @Override
  String isolation() {
    return "shared";
  }
}
