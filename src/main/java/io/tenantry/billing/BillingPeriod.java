package io.tenantry.billing;

import io.tenantry.http.Problem;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A billing period: a calendar month in UTC. */
public record BillingPeriod(YearMonth month) {
  public static BillingPeriod containing(Instant at) {
    return new BillingPeriod(YearMonth.from(at.atOffset(ZoneOffset.UTC)));
  }

  /** @throws Problem 400 unless YYYY-MM */
  public static BillingPeriod parse(String text) {
    try {
      return new BillingPeriod(YearMonth.parse(text));
    } catch (DateTimeParseException | NullPointerException e) {
      throw Problem.badRequest("period must be a month as YYYY-MM, such as 2026-11, got '" + text + "'");
    }
  }

  public Instant start() {
    return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  public Instant end() {
    return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  public BillingPeriod previous() {
    return new BillingPeriod(month.minusMonths(1));
  }

  public boolean closedAt(Instant now) {
    return !now.isBefore(end());
  }

  @Override
  public String toString() {
    return month.toString();
  }
}
