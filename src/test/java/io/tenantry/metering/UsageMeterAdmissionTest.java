package io.tenantry.metering;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What one admitted request adds: its class, its bytes, its user — and nothing when the server failed it. */
class UsageMeterAdmissionTest {
  private final UsageMeter meter = new UsageMeter(true);
  private final UUID tenant = UUID.randomUUID();
  private final UUID user = UUID.randomUUID();

  @Test
  void anAnsweredRequestCountsItsClassItsBytesAndItsUserOnce() {
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(200, 512);
    meter.admit(tenant, user, HttpMethod.POST, "/api/v1/collections/c/records").answered(201, 100);
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/usage").answered(404, 40);
    meter.admit(tenant, null, HttpMethod.GET, "/api/v1/files/a").answered(503, 90); // a server failure: not charged
    UsageBatch batch = meter.drain(Instant.now());
    assertThat(batch.counts()).containsExactlyInAnyOrder(
      new UsageBatch.Count(tenant, Meter.REQUESTS_READ, 1),
      new UsageBatch.Count(tenant, Meter.REQUESTS_WRITE, 1),
      new UsageBatch.Count(tenant, Meter.REQUESTS_ADMIN, 1),
      new UsageBatch.Count(tenant, Meter.EGRESS_BYTES, 652));
    assertThat(batch.users()).containsExactly(new UsageBatch.User(tenant, user));
  }

  @Test
  void aUserSeenAgainAfterADrainIsSeenInTheNextWindowToo() {
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(200, 1);
    assertThat(meter.drain(Instant.now()).users()).containsExactly(new UsageBatch.User(tenant, user));
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(200, 1);
    assertThat(meter.drain(Instant.now()).users()).containsExactly(new UsageBatch.User(tenant, user));
  }

  @Test
  void aRequestThatOutlivesItsTenantsCountersCountsOnTheCurrentOnes() {
    UsageMeter.Admission longDownload = meter.admit(tenant, null, HttpMethod.GET, "/api/v1/files/big");
    for (int i = 0; i <= UsageMeter.IDLE_DRAINS; i++) {
      meter.drain(Instant.now());
    }
    assertThat(meter.tenants()).as("idle counters dropped").isZero();
    longDownload.answered(200, 1 << 20);
    assertThat(meter.drain(Instant.now()).counts()).containsExactlyInAnyOrder(
      new UsageBatch.Count(tenant, Meter.REQUESTS_READ, 1),
      new UsageBatch.Count(tenant, Meter.EGRESS_BYTES, 1 << 20));
  }

  @Test
  void offItCountsNothing() {
    UsageMeter off = new UsageMeter(false);
    off.add(tenant, Meter.QUERY_UNITS, 5);
    assertThat(off.drain(Instant.now())).isNull();
    assertThat(off.tenants()).isZero();
  }
}
