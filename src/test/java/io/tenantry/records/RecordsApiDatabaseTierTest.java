package io.tenantry.records;

/** The records API against a database-tier tenant. */
class RecordsApiDatabaseTierTest extends RecordsApiContract {
  @Override
  String isolation() {
    return "database";
  }
}
