package io.tenantry.metering;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What one admitted request adds: its class, its bytes, its user — and nothing when the server failed it. */
class UsageMeterAdmissionTest {
  private final UsageMeter meter = new UsageMeter(true);
  private final UUID tenant = UUID.randomUUID();
  private final UUID user = UUID.randomUUID();

  @Test
  void anAnsweredRequestCountsItsClassItsBytesAndItsUserOnce() {
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(true, 200, 512);
    meter.admit(tenant, user, HttpMethod.POST, "/api/v1/collections/c/records").answered(true, 201, 100);
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/usage").answered(true, 404, 40);
    meter.admit(tenant, null, HttpMethod.GET, "/api/v1/files/a").answered(true, 503, 90); // a server failure: not charged
    UsageBatch batch = meter.drain(Instant.now());
    assertThat(batch.counts()).containsExactlyInAnyOrder(
      new UsageBatch.Count(tenant, Meter.REQUESTS_READ, 1),
      new UsageBatch.Count(tenant, Meter.REQUESTS_WRITE, 1),
      new UsageBatch.Count(tenant, Meter.REQUESTS_ADMIN, 1),
      new UsageBatch.Count(tenant, Meter.EGRESS_BYTES, 652));
    assertThat(batch.users()).containsExactly(new UsageBatch.User(tenant, user));
  }

  @Test
  void aRequestCutOffBeforeItsResponseEndedCountsItsBytesButNotItself() {
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(true, 200, 300);
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/files/big").answered(false, 200, 4096); // a download cut short
    meter.admit(tenant, user, HttpMethod.POST, "/api/v1/collections/c/records").answered(false, 200, 0); // body never came
    assertThat(meter.drain(Instant.now()).counts()).containsExactlyInAnyOrder(
      new UsageBatch.Count(tenant, Meter.REQUESTS_READ, 1),
      new UsageBatch.Count(tenant, Meter.EGRESS_BYTES, 4396));
  }

  @Test
  void aUserSeenAgainAfterADrainIsSeenInTheNextWindowToo() {
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(true, 200, 1);
    assertThat(meter.drain(Instant.now()).users()).containsExactly(new UsageBatch.User(tenant, user));
    meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(true, 200, 1);
    assertThat(meter.drain(Instant.now()).users()).containsExactly(new UsageBatch.User(tenant, user));
  }

  @Test
  void everyUserOfAWindowIsCountedOnceWhateverTheirSlotsAndUuidInstances() {
    java.util.List<UUID> many = new java.util.ArrayList<>();
    for (int i = 0; i < 10 * TenantCounters.RECENT_SLOTS; i++) {
      many.add(UUID.randomUUID());
    }
    for (int round = 0; round < 3; round++) {
      for (UUID u : many) {
        // another request of the same user, through another token: an equal UUID, not the same instance
        UUID same = round == 1 ? new UUID(u.getMostSignificantBits(), u.getLeastSignificantBits()) : u;
        meter.admit(tenant, same, HttpMethod.GET, "/api/v1/collections/c/records").answered(true, 200, 1);
      }
    }
    UsageBatch first = meter.drain(Instant.now());
    assertThat(first.users()).hasSize(many.size())
      .extracting(UsageBatch.User::userId).containsExactlyInAnyOrderElementsOf(many);
    meter.admit(tenant, many.get(0), HttpMethod.GET, "/api/v1/collections/c/records").answered(true, 200, 1);
    assertThat(meter.drain(Instant.now()).users()).as("the next window holds only who came back")
      .containsExactly(new UsageBatch.User(tenant, many.get(0)));
  }

  /**
   * Drains racing requests of one user (the same UUID instance, as a cached token gives): a request that began after
   * drain k-1 returned is in the users of drain k or k+1 — never skipped because a slot vouched for an earlier window.
   */
  @Test
  void aUserNotedWhileDrainsRunIsNeverLostBetweenWindows() throws InterruptedException {
    int drains = 300;
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicIntegerArray startedAfter = new java.util.concurrent.atomic.AtomicIntegerArray(drains + 1);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread requests = new Thread(() -> {
      while (!stop.get()) {
        int k = done.get();
        meter.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records").answered(true, 200, 1);
        startedAfter.set(k, 1);
      }
    });
    requests.start();
    boolean[] seen = new boolean[drains + 1];
    for (int k = 0; k < drains; k++) {
      long deadline = System.nanoTime() + 50_000_000L;
      while (startedAfter.get(k) == 0 && System.nanoTime() < deadline) { // a request of this window, then drain under it
        Thread.onSpinWait();
      }
      UsageBatch batch = meter.drain(Instant.now());
      seen[k] = batch != null && batch.users().contains(new UsageBatch.User(tenant, user));
      done.incrementAndGet();
    }
    stop.set(true);
    requests.join();
    UsageBatch last = meter.drain(Instant.now());
    seen[drains] = last != null && last.users().contains(new UsageBatch.User(tenant, user));
    int checked = 0;
    for (int k = 0; k < drains; k++) {
      if (startedAfter.get(k) == 1) {
        checked++;
        assertThat(seen[k] || seen[k + 1]).as("a request begun after drain %d returned is in drain %d or %d", k - 1, k, k + 1)
          .isTrue();
      }
    }
    assertThat(checked).as("requests ran between the drains").isGreaterThan(drains / 2);
  }

  @Test
  void aRequestThatOutlivesItsTenantsCountersCountsOnTheCurrentOnes() {
    UsageMeter.Admission longDownload = meter.admit(tenant, null, HttpMethod.GET, "/api/v1/files/big");
    for (int i = 0; i <= UsageMeter.IDLE_DRAINS; i++) {
      meter.drain(Instant.now());
    }
    assertThat(meter.tenants()).as("idle counters dropped").isZero();
    longDownload.answered(true, 200, 1 << 20);
    assertThat(meter.drain(Instant.now()).counts()).containsExactlyInAnyOrder(
      new UsageBatch.Count(tenant, Meter.REQUESTS_READ, 1),
      new UsageBatch.Count(tenant, Meter.EGRESS_BYTES, 1 << 20));
  }

  /**
   * Threads counting on every stripe of one tenant's counters while takes run (as often as possible, so some take
   * meets an add on its cell): the takes add up to exactly what was counted.
   */
  @Test
  void countsRacingTakesAreNeitherLostNorCountedTwice() throws InterruptedException {
    TenantCounters counters = new TenantCounters(tenant);
    int threads = 2 * TenantCounters.STRIPES + 1;
    int perThread = 200_000;
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(threads);
    List<Thread> counting = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          counters.add(Meter.REQUESTS_READ, 1);
          counters.add(Meter.EGRESS_BYTES, 3);
        }
        running.decrementAndGet();
      });
      counting.add(thread);
      thread.start();
    }
    long requests = 0;
    long bytes = 0;
    int takes = 0;
    while (running.get() > 0) {
      takes++;
      requests += counters.take(Meter.REQUESTS_READ);
      bytes += counters.take(Meter.EGRESS_BYTES);
    }
    for (Thread thread : counting) {
      thread.join();
    }
    requests += counters.take(Meter.REQUESTS_READ);
    bytes += counters.take(Meter.EGRESS_BYTES);
    assertThat(takes).as("takes ran while the threads counted").isGreaterThan(1);
    assertThat(requests).isEqualTo((long) threads * perThread);
    assertThat(bytes).isEqualTo(3L * threads * perThread);
    assertThat(counters.take(Meter.REQUESTS_WRITE)).as("other meters untouched").isZero();
  }

  @Test
  void offItCountsNothing() {
    UsageMeter off = new UsageMeter(false);
    assertThat(off.admit(tenant, user, HttpMethod.GET, "/api/v1/collections/c/records")).isNull();
    off.add(tenant, Meter.QUERY_UNITS, 5);
    assertThat(off.drain(Instant.now())).isNull();
    assertThat(off.tenants()).isZero();
  }
}
