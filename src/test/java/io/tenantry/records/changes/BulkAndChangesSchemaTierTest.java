package io.tenantry.records.changes;

/** Bulk writes and the change feed against schema-tier tenants. */
class BulkAndChangesSchemaTierTest extends BulkAndChangesContract {
  @Override
  String isolation() {
    return "schema";
  }
}
