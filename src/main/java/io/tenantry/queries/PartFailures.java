package io.tenantry.queries;

import io.tenantry.http.Problem;
import io.tenantry.pool.PoolBusy;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantGone;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;

/**
 * The problem on a tenant's error line: what went wrong in words a super-admin can act on, never SQL text or a
 * server's address (a SQLSTATE at most).
 */
final class PartFailures {
  private static final Logger LOG = LoggerFactory.getLogger(PartFailures.class);
  /** query_canceled: what statement_timeout raises. */
  private static final String CANCELED = "57014";

  /** The part did not finish in time (our timer, before PostgreSQL's statement timeout could say so). */
  static final class TimedOut extends RuntimeException {
    TimedOut() {
      super(null, null, false, false);
    }
  }

  private PartFailures() {
  }

  static Problem timedOut(int timeoutMs) {
    return Problem.of(504, "tenant-timeout", "Tenant query timed out",
      "the tenant's part did not finish within queries.tenant-timeout-ms (" + timeoutMs + " ms) or its own statement timeout");
  }

  static Problem notQueryable(Tenant tenant) {
    return Problem.of(409, "tenant-not-queryable", "Tenant not queryable",
      "tenant '" + tenant.slug() + "' is " + tenant.status().sql() + "; it has no data to read and was skipped");
  }

  /** @param tenant the tenant whose part failed; null when listing the tenants failed */
  static Problem of(Throwable failure, Tenant tenant, int timeoutMs, String requestId) {
    if (failure instanceof TimedOut || failure instanceof PgException pg && CANCELED.equals(pg.getSqlState())) {
      return timedOut(timeoutMs);
    }
    if (failure instanceof Problem problem) {
      return problem;
    }
    if (failure instanceof TenantGone) {
      return Problem.notFound("the tenant was deleted or purged while the query ran");
    }
    if (failure instanceof PoolBusy busy) {
      return Problem.unavailable(busy.getMessage(), busy.retryAfterSeconds());
    }
    if (failure instanceof PgException pg) {
      return Problem.of(502, "tenant-query-failed", "Tenant query failed",
        "the tenant's database refused the query (SQLSTATE " + pg.getSqlState() + ")");
    }
    if (failure instanceof ClosedConnectionException || failure instanceof ConnectException
      || failure.getCause() instanceof ConnectException) {
      return Problem.of(502, "tenant-query-failed", "Tenant query failed", "the tenant's database could not be reached");
    }
    LOG.atError().setCause(failure).addKeyValue("requestId", requestId).addKeyValue("tenantId", tenant == null ? null : tenant.id())
      .log("cross-tenant query part failed");
    return Problem.of(500, "internal", "Internal server error", "an unexpected error occurred in this tenant's part");
  }
}
