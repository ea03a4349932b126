package io.tenantry.metering;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage meter's memory follows the active tenants, and a count that races a tenant's drop is counted once. */
class UsageMeterMemoryTest {
  private final UsageMeter meter = new UsageMeter(true);

  @Test
  void aTenantIdleForThreeDrainsLeavesMemory() {
    UUID tenant = UUID.randomUUID();
    meter.add(tenant, Meter.QUERY_UNITS, 2);
    UsageBatch first = meter.drain(Instant.now());
    assertThat(first.counts()).containsExactly(new UsageBatch.Count(tenant, Meter.QUERY_UNITS, 2));
    for (int i = 0; i < UsageMeter.IDLE_DRAINS - 1; i++) {
      assertThat(meter.drain(Instant.now())).isNull();
      assertThat(meter.tenants()).isEqualTo(1);
    }
    assertThat(meter.drain(Instant.now())).isNull();
    assertThat(meter.tenants()).isZero();
  }

  @Test
  void aCountThatRacedTheDropIsCountedOnceOnTheNextDrain() {
    UUID tenant = UUID.randomUUID();
    TenantCounters held = meter.counters(tenant); // looked up just before the drop
    for (int i = 0; i < UsageMeter.IDLE_DRAINS; i++) {
      assertThat(meter.drain(Instant.now())).isNull();
    }
    assertThat(meter.tenants()).isZero();
    assertThat(held.dropped).isTrue();

    held.add(Meter.QUERY_UNITS, 3); // lands on the dropped counters
    meter.add(tenant, Meter.QUERY_UNITS, 4); // a new request: fresh counters
    UsageBatch next = meter.drain(Instant.now());
    assertThat(next.counts()).as("one line per tenant and meter, the late count included")
      .containsExactly(new UsageBatch.Count(tenant, Meter.QUERY_UNITS, 7));
    assertThat(meter.drain(Instant.now())).isNull();
  }

  @Test
  void aBusyTenantKeepsItsCounters() {
    UUID tenant = UUID.randomUUID();
    for (int i = 0; i < 10; i++) {
      meter.add(tenant, Meter.QUERY_UNITS, 1);
      assertThat(meter.drain(Instant.now()).counts()).hasSize(1);
    }
    assertThat(meter.tenants()).isEqualTo(1);
  }
}
