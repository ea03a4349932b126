package io.tenantry.records.changes;

/** Bulk writes and the change feed against database-tier tenants. */
class BulkAndChangesDatabaseTierTest extends BulkAndChangesContract {
  @Override
  String isolation() {
    return "database";
  }
}
