package io.tenantry.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A release racing a waiter's enqueue must cancel that waiter's timeout and nothing else. The race is made to happen
 * every time: the Vert.x handed to the caps runs the release on another thread from inside {@code setTimer}, i.e.
 * after the waiter is queued and before its timer id exists, and only then creates the timer.
 */
class ConcurrencyCapsTimerTest {
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
  void aReleaseWhileAWaiterIsBeingQueuedLeavesOtherTimersAlone() throws Exception {
    AtomicLong ticks = new AtomicLong();
    long periodic = vertx.setPeriodic(5, id -> ticks.incrementAndGet());
    assertThat(periodic).as("the unrelated timer must hold the id an unset timer slot reads as").isZero();

    AtomicReference<ConcurrencyCaps.Permit> held = new AtomicReference<>();
    AtomicReference<Thread> releaser = new AtomicReference<>();
    Vertx racing = (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class},
      (proxy, method, args) -> {
        if (method.getName().equals("setTimer") && held.get() != null && releaser.get() == null) {
          Thread thread = new Thread(() -> held.get().release(), "releaser");
          releaser.set(thread);
          thread.start();
          awaitBlockedOrDone(thread);
        }
        try {
          return method.invoke(vertx, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });

    ConcurrencyCaps caps = new ConcurrencyCaps(racing, 1, 60_000);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit first = caps.acquire(tenant).await();
    held.set(first);
    Future<ConcurrencyCaps.Permit> second = caps.acquire(tenant);
    releaser.get().join(10_000);

    assertThat(second.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.running()).isEqualTo(1);
    long before = ticks.get();
    CountDownLatch stillTicking = new CountDownLatch(1);
    vertx.setPeriodic(5, id -> {
      if (ticks.get() > before + 2) {
        stillTicking.countDown();
      }
    });
    assertThat(stillTicking.await(10, TimeUnit.SECONDS)).as("the unrelated periodic timer was cancelled").isTrue();
  }

  /** The releaser either finished (no lock in its way) or waits on the slot's lock held by the acquiring thread. */
  private static void awaitBlockedOrDone(Thread thread) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (thread.getState() != Thread.State.BLOCKED && thread.getState() != Thread.State.TERMINATED) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("releaser neither blocked nor done: " + thread.getState());
      }
      Thread.onSpinWait();
    }
  }
}
