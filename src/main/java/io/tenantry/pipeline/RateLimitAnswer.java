package io.tenantry.pipeline;

import io.tenantry.http.Problem;
import io.tenantry.ratelimit.Decision;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** How a rate-limit decision shows in the response: RateLimit-* headers, and 429 with Retry-After when refused. */
public final class RateLimitAnswer {
  // Pre-encoded names: hashed and written without per-request conversion.
  private static final CharSequence LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
  private static final CharSequence REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
  private static final CharSequence RESET = HttpHeaders.createOptimized("RateLimit-Reset");

  private RateLimitAnswer() {
  }

  public static void headers(HttpServerResponse response, Decision decision) {
    response.putHeader(LIMIT, Integer.toString(decision.limit()));
    response.putHeader(REMAINING, Integer.toString(decision.remaining()));
    response.putHeader(RESET, Long.toString(decision.resetSeconds()));
  }

  public static Problem tooManyRequests(Decision decision) {
    String whose = switch (decision.scope()) {
      case USER -> "your per-user rate limit in this tenant";
      case TENANT -> "the tenant's rate limit";
      case SUBTREE -> "the shared budget of the subtree of '" + decision.subtree() + "'";
      case BRANCH -> "this branch's cap in the subtree of '" + decision.subtree() + "'";
    };
    return Problem.of(429, "too-many-requests", "Too many requests",
        whose + " is exhausted; retry in " + decision.retryAfterSeconds() + " s")
      .withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
  }
}
