package io.tenantry.pool;

/**
 * No connection could be had in time: the tenant's concurrency cap or the node's connection budget is in use.
 * Expected under load and worth retrying; no stack trace. The problem handler answers 503 with Retry-After.
 */
public final class PoolBusy extends RuntimeException {
  private final int retryAfterSeconds;

  public PoolBusy(String detail, int retryAfterSeconds) {
    super(detail, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
