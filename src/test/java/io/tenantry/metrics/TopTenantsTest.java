package io.tenantry.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantry.config.ConfigException;
import io.tenantry.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The busiest tenants' series, and the metrics.* keys. */
class TopTenantsTest {
  @Test
  void onlyTheTopNOfTheLastIntervalHaveSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TopTenants top = new TopTenants(registry, 3);
    List<UUID> tenants = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      UUID id = UUID.randomUUID();
      tenants.add(id);
      for (int r = 0; r <= i; r++) {
        top.request(id); // tenant i makes i + 1 requests
      }
    }
    top.recompute();
    assertThat(registry.find("tenantry.tenant.requests").gauges()).hasSize(3)
      .extracting(g -> g.getId().getTag("tenant"))
      .containsExactlyInAnyOrder(tenants.get(49).toString(), tenants.get(48).toString(), tenants.get(47).toString());
    assertThat(registry.get("tenantry.tenant.requests").tag("tenant", tenants.get(49).toString()).gauge().value())
      .isEqualTo(50);

    top.request(tenants.get(0));
    top.recompute(); // a new interval: only what happened in it
    assertThat(registry.find("tenantry.tenant.requests").gauges()).singleElement()
      .extracting(g -> g.getId().getTag("tenant")).isEqualTo(tenants.get(0).toString());
  }

  @Test
  void noTopTenantsMeansNoTenantSeries() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TopTenants top = new TopTenants(registry, 0);
    top.request(UUID.randomUUID());
    top.recompute();
    assertThat(registry.find("tenantry.tenant.requests").gauges()).isEmpty();
  }

  @Test
  void aShortScrapeTokenOrABadAddressIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("profile", "test", "metrics.scrape-token", "short")))
      .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("metrics.scrape-token"));
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("profile", "test", "metrics.allow-from", "10.0.0.1, prometheus")))
      .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("metrics.allow-from"));
    var metrics = ConfigLoader.load(null, Map.of(), Map.of("profile", "test", "metrics.allow-from", "10.0.0.1, ::1")).metrics();
    assertThat(metrics.allowFrom()).containsExactlyInAnyOrder("10.0.0.1", "::1");
    assertThat(metrics.scrapeToken()).isEmpty();
    assertThat(metrics.topTenants()).isEqualTo(20);
  }
}
