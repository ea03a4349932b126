package io.tenantry.queries;

import io.tenantry.data.TenantDb;
import io.tenantry.records.Record;
import io.tenantry.records.RecordSearch;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;

import java.util.List;

/**
 * One tenant's part of a cross-tenant query, run exactly as that tenant's own request would be: through
 * {@link TenantDb} (its tier's pool, under its concurrency cap, its context on the statement, row-level security in
 * force, the runtime role), in a transaction whose statement timeout is the query's per-tenant timeout (or the
 * tenant's own, when shorter), so PostgreSQL itself stops a part that runs too long and frees its connection.
 */
final class TenantPart {
  private final TenantDb db;
  private final RecordSearch search;
  private final int timeoutMs;

  TenantPart(TenantDb db, RecordSearch search, int timeoutMs) {
    this.db = db;
    this.search = search;
    this.timeoutMs = timeoutMs;
  }

  Future<List<Record>> run(Tenant tenant, QueryRequest query) {
    int statementTimeout = tenant.statementTimeoutMs() == null ? timeoutMs : Math.min(tenant.statementTimeoutMs(), timeoutMs);
    return db.withTenant(tenant, conn -> {
      // inlined: an int of the server's configuration, never client text; sent with the query, not awaited first
      Future<?> timeout = conn.query("SET LOCAL statement_timeout = " + statementTimeout).execute();
      Future<List<Record>> found = search.containing(conn, tenant, query.collection(), query.filter(), query.limit());
      return Future.all(timeout, found).map(done -> found.result());
    });
  }

  int timeoutMs() {
    return timeoutMs;
  }
}
