package io.tenantry.cluster;

import io.tenantry.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ClusterLocks on a standalone node (node-local locks); the clustered behaviour is in ClusterTest. */
class ClusterLocksTest {
  private final Vertx vertx = Vertx.vertx();
  private final ClusterLocks locks = ClusterLocks.local(vertx);

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void oneHolderAtATimeAndEveryoneGetsATurn() {
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<Integer>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(locks.withLock("job", Duration.ofSeconds(10), () -> {
        most.accumulateAndGet(holders.incrementAndGet(), Math::max);
        Promise<Integer> done = Promise.promise();
        vertx.setTimer(5, t -> done.complete(holders.getAndDecrement()));
        return done.future();
      }));
    }
    Await.result(Future.all(all));
    assertThat(most).hasValue(1);
  }

  @Test
  void aBusyLockFailsAfterTheWaitAndAFailedWorkReleasesIt() {
    Promise<Void> first = Promise.promise();
    Future<Void> holding = locks.withLock("job", Duration.ofSeconds(1), first::future);
    assertThatThrownBy(() -> Await.result(locks.withLock("job", Duration.ofMillis(50), Future::succeededFuture)))
      .isInstanceOf(LockUnavailable.class);
    first.fail(new IllegalStateException("work failed"));
    assertThatThrownBy(() -> Await.result(holding)).hasMessage("work failed");
    assertThat(Await.result(locks.withLock("job", Duration.ofMillis(500), () -> Future.succeededFuture("free"))))
      .isEqualTo("free");
  }

  @Test
  void runOnceSkipsWorkThatIsAlreadyDone() {
    AtomicInteger runs = new AtomicInteger();
    boolean[] done = {false};
    Boolean firstRan = Await.result(locks.runOnce("provision", Duration.ofSeconds(1),
      () -> Future.succeededFuture(done[0]), () -> {
        runs.incrementAndGet();
        done[0] = true;
        return Future.succeededFuture();
      }));
    Boolean secondRan = Await.result(locks.runOnce("provision", Duration.ofSeconds(1),
      () -> Future.succeededFuture(done[0]), () -> {
        runs.incrementAndGet();
        return Future.succeededFuture();
      }));
    assertThat(firstRan).isTrue();
    assertThat(secondRan).isFalse();
    assertThat(runs).hasValue(1);
  }

  @Test
  void workThatThrowsStillReleasesTheLock() {
    assertThatThrownBy(() -> Await.result(locks.withLock("job", Duration.ofSeconds(1), () -> {
      throw new IllegalArgumentException("boom");
    }))).hasMessage("boom");
    assertThat(Await.result(locks.withLock("job", Duration.ofMillis(100), () -> Future.succeededFuture(1)))).isEqualTo(1);
  }
}
