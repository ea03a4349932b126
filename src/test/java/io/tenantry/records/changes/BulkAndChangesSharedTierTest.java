package io.tenantry.records.changes;

/** Bulk writes and the change feed against shared-tier tenants. */
class BulkAndChangesSharedTierTest extends BulkAndChangesContract {
  @Override
  String isolation() {
    return "shared";
  }
}
