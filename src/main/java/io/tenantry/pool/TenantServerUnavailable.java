package io.tenantry.pool;

/**
 * A database-tier tenant's own PostgreSQL server cannot serve it right now: unreachable, or its circuit breaker is
 * open. Only that server's tenants get it; the problem handler answers 503 tenant-database-unavailable with
 * Retry-After (or commit-outcome-unknown when a write's connection was lost with no answer).
 */
public final class TenantServerUnavailable extends RuntimeException {
  private final String server;
  private final boolean breakerOpen;
  private final int retryAfterSeconds;

  public TenantServerUnavailable(String server, boolean breakerOpen, int retryAfterSeconds, Throwable cause) {
    super("the tenant's database server " + (breakerOpen ? "is unavailable (circuit open)" : "is unreachable"), cause,
      false, false);
    this.server = server;
    this.breakerOpen = breakerOpen;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** host:port of the server. */
  public String server() {
    return server;
  }

  public boolean breakerOpen() {
    return breakerOpen;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
