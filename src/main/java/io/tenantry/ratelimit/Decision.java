package io.tenantry.ratelimit;

/**
 * The limiter's answer for one request, with what the RateLimit-* headers report: the burst of the tightest
 * budget, what is left of it, seconds until it is full again and, when refused, seconds until a retry can pass.
 */
public record Decision(boolean allowed, Scope scope, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
  /** Whose budget the numbers are about: the tenant's or the calling user's sub-limit. */
  public enum Scope { TENANT, USER }
}
