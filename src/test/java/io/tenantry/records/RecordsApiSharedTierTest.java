package io.tenantry.records;

/** The records API against a shared-tier tenant. */
class RecordsApiSharedTierTest extends RecordsApiContract {
  @Override
  String isolation() {
    return "shared";
  }
}
