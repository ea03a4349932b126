package io.tenantry.metering;

import io.tenantry.http.Problem;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** The from/to/granularity of a usage request, checked: UTC instants, from before to, at most 400 days apart. */
record UsageRange(Instant from, Instant to, String granularity) {
  private static final Duration LONGEST = Duration.ofDays(400);

  static UsageRange of(RoutingContext ctx) {
    Instant to = instant(ctx, "to", Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
    Instant from = instant(ctx, "from", to.minus(1, ChronoUnit.DAYS));
    if (!from.isBefore(to)) {
      throw Problem.badRequest("from must be before to");
    }
    if (Duration.between(from, to).compareTo(LONGEST) > 0) {
      throw Problem.badRequest("from and to may be at most 400 days apart");
    }
    String granularity = ctx.queryParams().get("granularity");
    if (granularity == null) {
      granularity = "hour";
    } else if (!granularity.equals("hour") && !granularity.equals("day")) {
      throw Problem.badRequest("granularity must be hour or day, got '" + granularity + "'");
    }
    return new UsageRange(from, to, granularity);
  }

  private static Instant instant(RoutingContext ctx, String name, Instant otherwise) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return otherwise;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(name + " must be a UTC date-time such as 2026-11-01T00:00:00Z, got '" + value + "'");
    }
  }
}
