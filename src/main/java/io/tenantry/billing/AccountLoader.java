package io.tenantry.billing;

import io.tenantry.http.Problem;
import io.tenantry.metering.Meter;
import io.tenantry.metering.UsageQuery;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gathers what an invoice is computed from: the tenants a payer pays for, each one's plan segments in the period
 * (its subscription changes; before its first change, its current plan; from its creation when created in the
 * period) with the prices and the usage of each segment.
 */
final class AccountLoader {
  private final Pool pool;
  private final PricingStore pricing;
  private final Subscriptions subscriptions;
  private final UsageQuery usage;
  private final String defaultCurrency;

  AccountLoader(Pool pool, PricingStore pricing, Subscriptions subscriptions, UsageQuery usage, String defaultCurrency) {
    this.pool = pool;
    this.pricing = pricing;
    this.subscriptions = subscriptions;
    this.usage = usage;
    this.defaultCurrency = defaultCurrency;
  }

  private record Paid(UUID id, String slug, String plan, Instant createdAt) {
  }

  /** A payer's invoice input; 409 when the tenant is paid for by its parent. */
  Future<InvoiceInput> load(UUID payer, BillingPeriod period) {
    return pool.preparedQuery(BillingSql.PAYS_SELF).execute(Tuple.of(payer)).compose(self -> {
      if (self.size() == 0) {
        return Future.failedFuture(Problem.notFound("unknown tenant"));
      }
      if (!self.iterator().next().getBoolean("pays_self")) {
        return Future.failedFuture(Problem.of(409, "paid-by-parent", "Paid for by its parent",
          "this tenant's usage is on the invoice of whoever pays for its parent (PUT .../billing with pays: self changes it)"));
      }
      return pool.preparedQuery(BillingSql.PAID_BY).execute(Tuple.of(payer, period.end().atOffset(ZoneOffset.UTC)));
    }).compose(rows -> {
      List<Paid> paid = new ArrayList<>();
      for (Row row : rows) {
        paid.add(new Paid(row.getUUID("id"), row.getString("slug"), row.getString("plan"),
          row.getOffsetDateTime("created_at").toInstant()));
      }
      List<UUID> ids = paid.stream().map(Paid::id).toList();
      return Future.all(pricing.all(), subscriptions.of(ids), usage.usage(ids, period.start(), period.end(), "hour"))
        .compose(all -> accounts(payer, period, paid, all.resultAt(0), all.resultAt(1), all.resultAt(2)));
    });
  }

  private Future<InvoiceInput> accounts(UUID payer, BillingPeriod period, List<Paid> paid, Map<String, PlanPricing> prices,
                                        Map<UUID, List<Subscriptions.Change>> changes, List<UsageQuery.Usage> hourly) {
    List<Future<InvoiceCalculator.Account>> accounts = new ArrayList<>();
    String currency = defaultCurrency;
    for (Paid tenant : paid) {
      List<Window> windows = windows(tenant, period, changes.getOrDefault(tenant.id(), List.of()));
      if (tenant.id().equals(payer) && !windows.isEmpty()) {
        currency = priced(prices, windows.get(0).plan()).currency();
      }
      accounts.add(account(tenant, windows, prices, hourly, period));
    }
    String payerCurrency = currency;
    return Future.all(accounts).map(done -> new InvoiceInput(payer, period, payerCurrency, done.<InvoiceCalculator.Account>list()));
  }

  record InvoiceInput(UUID payer, BillingPeriod period, String currency, List<InvoiceCalculator.Account> accounts) {
  }

  private record Window(String plan, Instant from, Instant to) {
  }

  private static List<Window> windows(Paid tenant, BillingPeriod period, List<Subscriptions.Change> changes) {
    Instant start = tenant.createdAt().isAfter(period.start()) ? tenant.createdAt() : period.start();
    String plan = tenant.plan();
    List<Window> out = new ArrayList<>();
    Instant from = start;
    for (Subscriptions.Change change : changes) {
      if (!change.effectiveFrom().isAfter(start)) {
        plan = change.plan();
      } else if (change.effectiveFrom().isBefore(period.end())) {
        out.add(new Window(plan, from, change.effectiveFrom()));
        plan = change.plan();
        from = change.effectiveFrom();
      }
    }
    out.add(new Window(plan, from, period.end()));
    return out;
  }

  private PlanPricing priced(Map<String, PlanPricing> prices, String plan) {
    PlanPricing found = prices.get(plan);
    return found != null ? found : PlanPricing.free(plan, defaultCurrency);
  }

  private Future<InvoiceCalculator.Account> account(Paid tenant, List<Window> windows, Map<String, PlanPricing> prices,
                                                   List<UsageQuery.Usage> hourly, BillingPeriod period) {
    List<Map<Meter, Long>> used = new ArrayList<>();
    windows.forEach(w -> used.add(new EnumMap<>(Meter.class)));
    for (UsageQuery.Usage u : hourly) {
      if (!u.tenantId().equals(tenant.id()) || u.meter() == Meter.ACTIVE_USERS) {
        continue;
      }
      int at = 0;
      for (int i = 0; i < windows.size(); i++) {
        if (!windows.get(i).from().isAfter(u.bucket())) {
          at = i;
        }
      }
      used.get(at).merge(u.meter(), u.quantity(), Long::sum); // gauges too: their hourly samples, averaged below
    }
    long periodHours = java.time.Duration.between(period.start(), period.end()).toHours();
    used.forEach(segment -> segment.replaceAll((meter, sum) -> GaugeAverage.of(meter, sum, periodHours)));
    List<Future<Long>> users = new ArrayList<>();
    for (Window w : windows) {
      users.add(pool.preparedQuery(BillingSql.ACTIVE_USERS).execute(Tuple.of(tenant.id(),
          w.from().truncatedTo(java.time.temporal.ChronoUnit.HOURS).atOffset(ZoneOffset.UTC), w.to().atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.iterator().next().getLong(0)));
    }
    return Future.all(users).map(done -> {
      List<InvoiceCalculator.Segment> segments = new ArrayList<>();
      for (int i = 0; i < windows.size(); i++) {
        Window w = windows.get(i);
        used.get(i).put(Meter.ACTIVE_USERS, done.<Long>resultAt(i));
        segments.add(new InvoiceCalculator.Segment(priced(prices, w.plan()), w.from(), w.to(), used.get(i)));
      }
      return new InvoiceCalculator.Account(tenant.id(), tenant.slug(), segments);
    });
  }

  /** The tenant's plan and the plan of whoever pays for its parent must be priced in one currency (else 409). */
  Future<Void> checkSameCurrencyAsParentsPayer(io.tenantry.tenant.Tenant tenant) {
    List<UUID> line = new ArrayList<>(tenant.path());
    line.add(tenant.id());
    return Future.all(pricing.all(), pool.preparedQuery(BillingSql.PLANS_UP).execute(Tuple.of(line.toArray(UUID[]::new))))
      .compose(all -> {
        Map<String, PlanPricing> prices = all.resultAt(0);
        Map<UUID, Row> rows = new java.util.HashMap<>();
        for (Row row : all.<io.vertx.sqlclient.RowSet<Row>>resultAt(1)) {
          rows.put(row.getUUID("id"), row);
        }
        Row payer = null;
        for (int i = tenant.path().size() - 1; i >= 0 && payer == null; i--) {
          Row up = rows.get(tenant.path().get(i));
          if (up != null && up.getBoolean("pays_self")) {
            payer = up;
          }
        }
        if (payer == null) {
          return Future.succeededFuture();
        }
        String mine = priced(prices, rows.get(tenant.id()).getString("plan")).currency();
        String theirs = priced(prices, payer.getString("plan")).currency();
        if (!mine.equals(theirs)) {
          return Future.failedFuture(Problem.of(409, "currency-mismatch", "Currency mismatch", "tenant '" + tenant.slug()
            + "' is priced in " + mine + " but '" + payer.getString("slug") + "', which would pay for it, in " + theirs
            + ": put one of them on a plan in the other's currency first"));
        }
        return Future.succeededFuture();
      });
  }
}
