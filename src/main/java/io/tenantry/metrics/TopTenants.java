package io.tenantry.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-tenant series for the busiest tenants only, so the scrape stays bounded however many tenants there are:
 * requests are counted per tenant for one interval, then the N tenants with most requests become the rows of
 * {@code tenantry_tenant_requests{tenant=<id>}} (the requests of that interval) and every other tenant's row is
 * dropped. The counting map holds the tenants seen in one interval and is emptied at each recomputation.
 */
public final class TopTenants {
  private final int n;
  private final MultiGauge gauge;
  private volatile Map<UUID, LongAdder> window = new ConcurrentHashMap<>();

  public TopTenants(MeterRegistry registry, int n) {
    this.n = n;
    this.gauge = MultiGauge.builder("tenantry.tenant.requests")
      .description("Requests in the last interval, for the tenants with most of them (metrics.top-tenants)")
      .register(registry);
  }

  /** Counts one request of {@code tenant}: a map lookup and an add, from any event loop. */
  public void request(UUID tenant) {
    if (n > 0) {
      Map<UUID, LongAdder> counting = window;
      LongAdder requests = counting.get(tenant); // the common case: no bin lock, no lambda
      (requests != null ? requests : counting.computeIfAbsent(tenant, id -> new LongAdder())).increment();
    }
  }

  /** Ends the interval: the top N of it become the tenant-labelled rows, all others disappear. */
  public void recompute() {
    Map<UUID, LongAdder> ended = window;
    window = new ConcurrentHashMap<>();
    List<MultiGauge.Row<?>> rows = ended.entrySet().stream()
      .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
      .sorted(Map.Entry.<UUID, Long>comparingByValue(Comparator.reverseOrder()))
      .limit(n)
      .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("tenant", e.getKey().toString()), e.getValue()))
      .toList();
    gauge.register(rows, true);
  }
}
