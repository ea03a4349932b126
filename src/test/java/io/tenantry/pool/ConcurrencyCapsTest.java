package io.tenantry.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-tenant cap on its own: places, the queue, hand-over, expiry and refusal without a queue. */
class ConcurrencyCapsTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void withoutAQueueTheRequestOverTheCapIsRefusedAtOnce() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 0);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit place = caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> over = caps.acquire(tenant);
    assertThat(over.cause()).isInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
    assertThat(caps.queued()).isZero();
    // another tenant has its own places
    assertThat(caps.acquire(UUID.randomUUID()).succeeded()).isTrue();
    assertThat(caps.running()).isEqualTo(2);
    place.release();
    place.release(); // idempotent: the place is not given back twice
    assertThat(caps.running()).isEqualTo(1);
  }

  @Test
  void aWaiterGetsTheReleasedPlaceAndAnotherExpiresWith503() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 300);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit place = caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> waiter = caps.acquire(tenant);
    assertThat(caps.waiting()).isEqualTo(1);
    place.release();
    ConcurrencyCaps.Permit handed = waiter.toCompletionStage().toCompletableFuture().join();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.running()).as("the place passed on, not given back").isEqualTo(1);

    Future<ConcurrencyCaps.Permit> expires = caps.acquire(tenant);
    assertThat(expires.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10))
      .withThrowableThat().havingCause().isInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
    assertThat(caps.queued()).isEqualTo(2);
    assertThat(caps.waiting()).isZero();
    handed.release();
    assertThat(caps.running()).isZero();
  }

  @Test
  void aCapLeavesRoomOnEveryLoopOnlyBelowTheSmallestShare() {
    assertThat(ConcurrencyCaps.leavesRoomOnEveryLoop(6, 7)).isTrue();
    assertThat(ConcurrencyCaps.leavesRoomOnEveryLoop(7, 7)).isFalse();
  }
}
