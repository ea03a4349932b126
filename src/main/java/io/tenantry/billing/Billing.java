package io.tenantry.billing;

import io.tenantry.admin.Delegation;
import io.tenantry.config.Config;
import io.tenantry.metering.UsageQuery;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.UUID;

/** Prices, subscriptions and invoices (docs/billing.md): the endpoints and the finalize job of this node. */
public final class Billing {
  private final PricingEndpoints pricing;
  private final SubscriptionEndpoints subscriptions;
  private final InvoiceEndpoints invoices;
  private final BillingRun run;

  private Billing(PricingEndpoints pricing, SubscriptionEndpoints subscriptions, InvoiceEndpoints invoices, BillingRun run) {
    this.pricing = pricing;
    this.subscriptions = subscriptions;
    this.invoices = invoices;
    this.run = run;
  }

  public static Billing create(Vertx vertx, Config config, Pool pool, TenantRegistry registry, UUID node) {
    PricingStore prices = new PricingStore(pool);
    Subscriptions subscriptions = new Subscriptions(pool);
    AccountLoader loader = new AccountLoader(pool, prices, subscriptions, new UsageQuery(pool),
      config.metering().defaultCurrency());
    Invoices invoices = new Invoices(pool, loader);
    Delegation delegation = new Delegation(registry);
    BillingRun run = new BillingRun(vertx, pool, invoices, node, config.metering().finalizeCheckMs());
    return new Billing(new PricingEndpoints(prices), new SubscriptionEndpoints(subscriptions, delegation, loader),
      new InvoiceEndpoints(invoices, run, delegation), run);
  }

  public void start() {
    run.start();
  }

  public void stop() {
    run.stop();
  }

  public PricingEndpoints pricing() {
    return pricing;
  }

  public SubscriptionEndpoints subscriptions() {
    return subscriptions;
  }

  public InvoiceEndpoints invoices() {
    return invoices;
  }
}
