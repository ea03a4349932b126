package io.tenantry.billing;

import io.tenantry.http.Problem;
import io.tenantry.metering.Meter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An invoice from usage and prices, as a pure function: the same accounts give the same lines, in the same order, to
 * the unit. Proration: a plan in effect for part of the period (a subscription change, a tenant created mid-month)
 * costs that share of its base fee and includes that share of its included quantities, by seconds, rounded half up;
 * the usage of each hour is priced on the plan in effect at the start of that hour, tiers counted per plan segment.
 */
public final class InvoiceCalculator {
  private InvoiceCalculator() {
  }

  /**
   * A stretch of the period on one plan, with the tenant's usage in it: counters summed, gauges averaged over the
   * period ({@link GaugeAverage}).
   */
  public record Segment(PlanPricing pricing, Instant from, Instant to, Map<Meter, Long> usage) {
  }

  /** A tenant on the invoice: the payer itself or one it pays for. */
  public record Account(UUID tenantId, String slug, List<Segment> segments) {
  }

  public record Draft(String currency, List<InvoiceLine> lines, long total) {
    /** The subtotal of one tenant's lines: the per-child breakdown. */
    public long subtotal(UUID tenantId) {
      return lines.stream().filter(l -> l.tenantId().equals(tenantId)).mapToLong(InvoiceLine::amount).sum();
    }
  }

  /** @throws Problem 409 when a tenant's plan is priced in another currency than the payer's */
  public static Draft compute(Instant periodStart, Instant periodEnd, UUID payer, String payerCurrency,
                              List<Account> accounts) {
    long periodSeconds = Duration.between(periodStart, periodEnd).getSeconds();
    List<Account> ordered = new ArrayList<>(accounts);
    ordered.sort(Comparator.comparing((Account a) -> !a.tenantId().equals(payer)).thenComparing(Account::slug)
      .thenComparing(a -> a.tenantId().toString()));
    List<InvoiceLine> lines = new ArrayList<>();
    for (Account account : ordered) {
      List<Segment> segments = new ArrayList<>(account.segments());
      segments.sort(Comparator.comparing(Segment::from));
      for (Segment segment : segments) {
        PlanPricing pricing = segment.pricing();
        if (!pricing.currency().equals(payerCurrency)) {
          throw Problem.of(409, "currency-mismatch", "Currency mismatch", "tenant '" + account.slug() + "' is on plan '"
            + pricing.plan() + "' priced in " + pricing.currency() + ", but its invoice is in " + payerCurrency
            + ": put it on a plan in " + payerCurrency + " or let it pay for itself");
        }
        lines.addAll(segmentLines(account, segment, periodSeconds));
      }
    }
    long total = 0;
    for (InvoiceLine line : lines) {
      total = Math.addExact(total, line.amount());
    }
    return new Draft(payerCurrency, List.copyOf(lines), total);
  }

  private static List<InvoiceLine> segmentLines(Account account, Segment segment, long periodSeconds) {
    PlanPricing pricing = segment.pricing();
    long seconds = Duration.between(segment.from(), segment.to()).getSeconds();
    String span = segment.from() + " to " + segment.to();
    List<InvoiceLine> lines = new ArrayList<>();
    long fee = Proration.share(pricing.baseFee(), seconds, periodSeconds);
    if (pricing.baseFee() > 0) {
      lines.add(new InvoiceLine(account.tenantId(), account.slug(), "base_fee",
        "base fee, plan " + pricing.plan() + ", " + span, 1, fee, fee));
    }
    for (Meter meter : Meter.values()) {
      MeterPrice price = pricing.meters().get(meter);
      if (price == null) {
        continue;
      }
      long quantity = segment.usage().getOrDefault(meter, 0L);
      long included = Proration.share(price.included(), seconds, periodSeconds);
      for (MeterPrice.Slice slice : price.price(quantity, included)) {
        lines.add(new InvoiceLine(account.tenantId(), account.slug(), meter.id(),
          meter.id() + ", plan " + pricing.plan() + ", tier " + slice.tier() + " (" + quantity + " used, " + included
            + " included), " + span, slice.quantity(), slice.unitPrice(), slice.amount()));
      }
    }
    return lines;
  }
}
