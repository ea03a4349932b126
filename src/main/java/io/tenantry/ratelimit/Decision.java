package io.tenantry.ratelimit;

/**
 * The limiter's answer for one request, with what the RateLimit-* headers report: the burst of the tightest
 * budget, what is left of it, seconds until it is full again and, when refused, seconds until a retry can pass.
 */
public record Decision(boolean allowed, Scope scope, int limit, int remaining, long resetSeconds, long retryAfterSeconds,
                       String subtree) {
  /**
   * Whose budget the numbers are about: the tenant's, the calling user's sub-limit, the subtree budget of
   * {@link #subtree()}, or the cap of the caller's branch within that subtree.
   */
  public enum Scope { TENANT, USER, SUBTREE, BRANCH }

  public Decision(boolean allowed, Scope scope, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    this(allowed, scope, limit, remaining, resetSeconds, retryAfterSeconds, null);
  }
}
