package io.tenantry.pipeline;

import io.tenantry.http.Problem;
import io.tenantry.pool.ConnectionFailures;
import io.tenantry.pool.TenantServerUnavailable;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dependency that is down becomes a 503 with Retry-After whose type names the dependency — never a 500, which a
 * client cannot tell from a bug. A write whose connection was lost with no answer from the server may or may not
 * have committed: it gets its own type, commit-outcome-unknown, and the client retries it with the same
 * Idempotency-Key (record creates) or reads before retrying.
 */
final class DependencyProblems {
  private static final Logger LOG = LoggerFactory.getLogger(DependencyProblems.class);
  static final int DATABASE_RETRY_AFTER_SECONDS = 2;

  private DependencyProblems() {
  }

  /** The problem for {@code failure}, or null when it is not a dependency being unavailable. */
  static Problem toProblem(Throwable failure, HttpMethod method) {
    if (failure instanceof TenantServerUnavailable down) {
      if (!down.breakerOpen() && isWrite(method) && ConnectionFailures.outcomeUnknown(down.getCause())) {
        return commitOutcomeUnknown();
      }
      LOG.atWarn().addKeyValue("server", down.server()).addKeyValue("breakerOpen", down.breakerOpen())
        .log("tenant database server unavailable: {}", down.server());
      return unavailable("tenant-database-unavailable", "Tenant database unavailable",
        "this tenant's database server is unavailable right now; other tenants are not affected; retry after the "
          + "Retry-After interval", down.retryAfterSeconds());
    }
    if (ConnectionFailures.serverUnreachable(failure)) {
      if (isWrite(method) && ConnectionFailures.outcomeUnknown(failure)) {
        return commitOutcomeUnknown();
      }
      LOG.warn("database unavailable: {}", describe(failure));
      return database();
    }
    return null;
  }

  /** The platform database could not be reached or went away; the request was not applied. */
  static Problem database() {
    return unavailable("database-unavailable", "Database unavailable",
      "the database is unavailable right now (restarting or unreachable); the request was not applied; retry",
      DATABASE_RETRY_AFTER_SECONDS);
  }

  /** A failure that escaped the rate limiter's local fallback: Redis misbehaving in a way the breaker did not catch. */
  static Problem redis(Throwable failure) {
    LOG.warn("rate limiter failed (Redis): {}", describe(failure));
    return unavailable("redis-unavailable", "Rate-limit store unavailable",
      "the rate-limit store is unavailable right now; the request was not applied; retry", 1);
  }

  static Problem commitOutcomeUnknown() {
    LOG.warn("database connection lost during a write: its commit outcome is unknown");
    return unavailable("commit-outcome-unknown", "Commit outcome unknown",
      "the database connection was lost while this write was in flight: it may or may not have been applied. "
        + "Retry with the same Idempotency-Key (a record create is then applied at most once), or read the resource "
        + "before retrying", 1);
  }

  private static Problem unavailable(String type, String title, String detail, int retryAfterSeconds) {
    return Problem.of(503, type, title, detail).withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  private static boolean isWrite(HttpMethod method) {
    return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
  }

  /** The class and message of the failure: no SQL, no stack trace (an expected outage). */
  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
