package io.tenantry.colschema;

import io.tenantry.data.TenantDb;
import io.tenantry.records.Record;
import io.tenantry.records.RecordStore;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.json.schema.Validator;

import java.util.List;
import java.util.UUID;

/**
 * Counts a collection's records that a schema would refuse, in the tenant's own tier through {@link TenantDb}: a
 * page of {@link #PAGE} records at a time (the records list statement, keyset by id), each page validated on the
 * schema workers before the next is read, so memory and each step's work stay bounded whatever the collection's size.
 */
final class ExistingRecords {
  static final int PAGE = 200;

  private final TenantDb db;
  private final RecordStore records;
  private final WorkerExecutor workers;

  ExistingRecords(TenantDb db, RecordStore records, WorkerExecutor workers) {
    this.db = db;
    this.records = records;
    this.workers = workers;
  }

  Future<Long> countViolations(Tenant tenant, String collection, Validator validator) {
    return page(tenant, collection, validator, null, 0L);
  }

  private Future<Long> page(Tenant tenant, String collection, Validator validator, UUID after, long sofar) {
    return db.autocommit(tenant, conn -> records.list(conn, tenant, collection, after, PAGE))
      .compose(page -> workers.executeBlocking(() -> invalid(validator, page), false)
        .compose(invalid -> page.size() < PAGE
          ? Future.succeededFuture(sofar + invalid)
          : page(tenant, collection, validator, page.get(page.size() - 1).id(), sofar + invalid)));
  }

  private static long invalid(Validator validator, List<Record> page) {
    return page.stream().filter(record -> !Boolean.TRUE.equals(validator.validate(record.data()).getValid())).count();
  }
}
