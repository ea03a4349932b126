package io.tenantry.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-tenant cap: lock-free places, a queue only when full, and slots that do not outlive their use. */
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
  void placesUnderTheCapAreGrantedAtOnceWithoutAFreshFuturePerRequest() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 3, 1000);
    UUID tenant = UUID.randomUUID();
    Future<ConcurrencyCaps.Permit> first = caps.acquire(tenant);
    Future<ConcurrencyCaps.Permit> second = caps.acquire(tenant);
    assertThat(first.succeeded()).isTrue();
    assertThat(second).as("the slot's one granted future").isSameAs(first);
    assertThat(caps.running()).isEqualTo(2);
    first.result().release();
    second.result().release();
    assertThat(caps.running()).isZero();
    assertThat(caps.queued()).isZero();
  }

  @Test
  void aFullTenantWaitsAndGetsThePlaceReleasedWhileOthersAreServed() throws Exception {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 10_000);
    UUID noisy = UUID.randomUUID();
    ConcurrencyCaps.Permit held = caps.acquire(noisy).result();
    Future<ConcurrencyCaps.Permit> waiting = caps.acquire(noisy);
    assertThat(waiting.isComplete()).isFalse();
    assertThat(caps.waiting()).isEqualTo(1);
    assertThat(caps.acquire(UUID.randomUUID()).succeeded()).as("another tenant is not held up").isTrue();

    held.release();
    assertThat(await(waiting)).isNotNull();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.queued()).isEqualTo(1);
    assertThat(caps.running()).as("the place passed on, plus the other tenant's").isEqualTo(2);
  }

  @Test
  void aWaiterIsRefusedWithRetryAfterWhenNoPlaceFreesInTime() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 50);
    UUID tenant = UUID.randomUUID();
    caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> waiting = caps.acquire(tenant);
    assertThatThrownBy(() -> await(waiting)).hasCauseInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
    assertThat(caps.waiting()).isZero();
  }

  @Test
  void withoutAQueueAFullTenantIsRefusedAtOnce() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 0);
    UUID tenant = UUID.randomUUID();
    caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> refused = caps.acquire(tenant);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(PoolBusy.class);
    assertThat(caps.rejected()).isEqualTo(1);
  }

  @Test
  void sweepingForgetsIdleTenantsOnlyAndAForgottenTenantIsServedAfresh() throws Exception {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 10_000);
    List<UUID> idle = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      UUID tenant = UUID.randomUUID();
      caps.acquire(tenant).result().release();
      idle.add(tenant);
    }
    UUID busy = UUID.randomUUID();
    ConcurrencyCaps.Permit held = caps.acquire(busy).result();
    UUID queued = UUID.randomUUID();
    ConcurrencyCaps.Permit queuedHeld = caps.acquire(queued).result();
    Future<ConcurrencyCaps.Permit> waiter = caps.acquire(queued);
    assertThat(caps.tenants()).isEqualTo(102);

    assertThat(caps.sweepIdle()).isEqualTo(100);
    assertThat(caps.tenants()).as("a running and a waiting tenant keep their slots").isEqualTo(2);

    queuedHeld.release();
    await(waiter).release();
    held.release();
    assertThat(caps.sweepIdle()).isEqualTo(2);
    assertThat(caps.tenants()).isZero();

    ConcurrencyCaps.Permit again = caps.acquire(idle.get(0)).result();
    assertThat(caps.acquire(idle.get(0)).isComplete()).as("the cap holds on the fresh slot").isFalse();
    again.release();
  }

  @Test
  void concurrentRequestsNeverExceedTheCapWhileSweepsRun() throws Exception {
    int cap = 3;
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, cap, 60_000);
    UUID tenant = UUID.randomUUID();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    int threads = 8;
    int perThread = 2_000;
    CountDownLatch done = new CountDownLatch(threads * perThread);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          caps.acquire(tenant).onSuccess(permit -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            inside.decrementAndGet();
            permit.release();
            done.countDown();
          });
          if (i % 97 == 0) {
            caps.sweepIdle();
          }
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(60_000);
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).as("every request got a place").isTrue();
    assertThat(most.get()).isLessThanOrEqualTo(cap);
    assertThat(caps.running()).isZero();
    assertThat(caps.waiting()).isZero();
  }

  /** An acquire that read a tenant's slot just before a sweep retired it takes the tenant's fresh slot. */
  @Test
  void anAcquireMeetingASlotRetiredSinceItWasReadTakesAFreshOne() {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 1000);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Slot read = caps.slotOf(tenant); // what acquire reads from the map
    assertThat(caps.sweepIdle()).as("idle: retired and forgotten").isEqualTo(1);

    Future<ConcurrencyCaps.Permit> taken = caps.acquire(tenant, read);
    assertThat(taken.succeeded()).isTrue();
    assertThat(taken.result()).as("a place in the fresh slot, not the retired one").isNotSameAs(read);
    assertThat(caps.tenants()).isEqualTo(1);
    assertThat(caps.running()).isEqualTo(1);
    assertThat(caps.acquire(tenant).isComplete()).as("the cap holds on the fresh slot").isFalse();
  }

  @Test
  void aSecondWaiterQueuesBehindTheFirstAndTheyAreServedInOrder() throws Exception {
    ConcurrencyCaps caps = new ConcurrencyCaps(vertx, 1, 10_000);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit held = caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> first = caps.acquire(tenant);
    Future<ConcurrencyCaps.Permit> second = caps.acquire(tenant);
    assertThat(caps.waiting()).isEqualTo(2);
    held.release();
    await(first).release();
    await(second).release();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.running()).isZero();
  }

  @Test
  void startedCapsSweepIdleSlotsOnTheirPeriodicTimer() {
    AtomicReference<Handler<Long>> sweep = new AtomicReference<>();
    Vertx watching = around(vertx, (method, args) -> {
      if (method.equals("setPeriodic")) {
        sweep.set(handler(args));
      }
    });
    ConcurrencyCaps caps = ConcurrencyCaps.started(watching, 1, 1000);
    caps.acquire(UUID.randomUUID()).result().release();
    assertThat(caps.tenants()).isEqualTo(1);
    assertThat(sweep.get()).as("a periodic sweep was scheduled").isNotNull();
    sweep.get().handle(0L); // what the timer does every SWEEP_MS
    assertThat(caps.tenants()).isZero();
  }

  /**
   * A place freed while an acquirer that found the slot full waits for the slot's lock is taken by that acquirer at
   * once, not queued. Made deterministic: the hand-over that holds the lock (a release giving the place to an earlier
   * waiter) pauses inside {@code cancelTimer} until the acquirer is blocked on the lock, and another permit is released
   * meanwhile (a release with no waiter left takes no lock).
   */
  @Test
  void aPlaceFreedWhileAnAcquirerWaitsForTheLockIsTakenWithoutQueueing() throws Exception {
    AtomicReference<Runnable> duringHandOver = new AtomicReference<>();
    Vertx racing = around(vertx, (method, args) -> {
      Runnable hook = method.equals("cancelTimer") ? duringHandOver.getAndSet(null) : null;
      if (hook != null) {
        hook.run();
      }
    });
    ConcurrencyCaps caps = new ConcurrencyCaps(racing, 2, 60_000);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit first = caps.acquire(tenant).result();
    ConcurrencyCaps.Permit second = caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> waiter = caps.acquire(tenant);
    AtomicReference<Future<ConcurrencyCaps.Permit>> late = new AtomicReference<>();
    Thread acquirer = new Thread(() -> late.set(caps.acquire(tenant)), "acquirer");
    duringHandOver.set(() -> {
      acquirer.start();
      awaitBlocked(acquirer);
      second.release(); // no waiter left: no lock, the place is simply free
    });

    first.release(); // hands its place to the waiter, holding the slot's lock
    acquirer.join(10_000);

    assertThat(late.get()).isNotNull();
    assertThat(late.get().succeeded()).as("the freed place, taken under the lock").isTrue();
    assertThat(caps.queued()).as("only the first waiter ever queued").isEqualTo(1);
    await(waiter).release();
    late.get().result().release();
    assertThat(caps.running()).isZero();
  }

  /** A waiter's timer that fires as the waiter is handed a place (the cancel came too late) refuses nobody. */
  @Test
  void aTimeoutFiringAfterTheHandOverIsIgnored() throws Exception {
    AtomicReference<Handler<Long>> timeout = new AtomicReference<>();
    Vertx watching = around(vertx, (method, args) -> {
      if (method.equals("setTimer")) {
        timeout.set(handler(args));
      }
    });
    ConcurrencyCaps caps = new ConcurrencyCaps(watching, 1, 60_000);
    UUID tenant = UUID.randomUUID();
    ConcurrencyCaps.Permit held = caps.acquire(tenant).result();
    Future<ConcurrencyCaps.Permit> waiter = caps.acquire(tenant);
    held.release();
    ConcurrencyCaps.Permit handed = await(waiter);

    timeout.get().handle(0L); // the timer's run, racing the hand-over
    assertThat(caps.rejected()).isZero();
    assertThat(caps.waiting()).isZero();
    assertThat(caps.running()).isEqualTo(1);
    handed.release();
  }

  /** {@code target} itself, with {@code before} told of every call first (on the calling thread). */
  private static Vertx around(Vertx target, BiConsumer<String, Object[]> before) {
    return (Vertx) Proxy.newProxyInstance(Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class},
      (proxy, method, args) -> {
        before.accept(method.getName(), args);
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
  }

  @SuppressWarnings("unchecked")
  private static Handler<Long> handler(Object[] args) {
    return (Handler<Long>) args[args.length - 1];
  }

  private static void awaitBlocked(Thread thread) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (thread.getState() != Thread.State.BLOCKED) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("acquirer not blocked on the slot's lock: " + thread.getState());
      }
      Thread.onSpinWait();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
