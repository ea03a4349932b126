package io.tenantry.pool;

import io.tenantry.support.Await;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The split of db.pool-size and which pool each event loop's callers get (pools are built but never connect). */
class LoopAffinePoolTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<Integer> sizes = new ArrayList<>();
  private final List<Pool> built = new ArrayList<>();

  @AfterEach
  void close() {
    Await.result(vertx.close(), 10);
  }

  private LoopAffinePool pool(int loops, int total) {
    return new LoopAffinePool(loops, total, size -> {
      sizes.add(size);
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(new PgConnectOptions())
        .using(vertx).build();
      built.add(pool);
      return pool;
    });
  }

  @Test
  void theConnectionsAreSplitBetweenTheLoopsAndTheBackgroundPoolAndEveryPoolHasOne() {
    pool(2, 16); // 8 + 7 for the loops, 1 for background work
    pool(2, 5);
    pool(4, 2); // fewer connections than loops: no background pool of its own
    pool(1, 4); // one HTTP loop (a server confined to one core): the other loops' background work stays off it
    assertThat(sizes).containsExactly(8, 7, 1, 2, 2, 1, 1, 1, 3, 1);
  }

  @Test
  void theSmallestShareBoundsThePerTenantCap() {
    assertThat(pool(2, 16).smallestShare()).isEqualTo(7);
    assertThat(pool(2, 6).smallestShare()).isEqualTo(2);
    assertThat(pool(1, 4).smallestShare()).isEqualTo(3);
    assertThat(pool(1, 1).smallestShare()).as("a single connection is shared").isEqualTo(1);
    assertThat(ConcurrencyCaps.leavesRoomOnEveryLoop(6, 7)).as("the defaults: cap 6, 16 connections over 2 loops").isTrue();
    assertThat(ConcurrencyCaps.leavesRoomOnEveryLoop(8, 7)).as("the cap before 2026-11-27").isFalse();
    assertThat(ConcurrencyCaps.leavesRoomOnEveryLoop(1, 1)).isFalse();
  }

  /** Each verticle instance runs on its own event loop and claims a pool there. */
  private static final class Claimer extends AbstractVerticle {
    private final LoopAffinePool pool;
    private final Map<String, Pool> seen;

    Claimer(LoopAffinePool pool, Map<String, Pool> seen) {
      this.pool = pool;
      this.seen = seen;
    }

    @Override
    public void start() {
      assertThat(pool.claim()).isTrue();
      assertThat(pool.claim()).as("idempotent").isTrue();
      seen.put(Thread.currentThread().getName(), pool.current());
    }
  }

  @Test
  void eachClaimingLoopGetsAPoolOfItsOwnAndKeepsIt() {
    LoopAffinePool pool = pool(2, 16);
    Map<String, Pool> seen = new ConcurrentHashMap<>();
    Await.result(vertx.deployVerticle(() -> new Claimer(pool, seen), new DeploymentOptions().setInstances(2)), 10);
    assertThat(seen).hasSize(2);
    assertThat(new ArrayList<>(seen.values())).containsExactlyInAnyOrderElementsOf(built.subList(0, 2));
    // Later calls on the same loop get the same pool; a third loop finds none left to claim.
    Map<String, Pool> again = new ConcurrentHashMap<>();
    List<Boolean> thirdClaimed = new ArrayList<>();
    vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        thirdClaimed.add(pool.claim());
      }
    }, new DeploymentOptions().setInstances(1)).toCompletionStage().toCompletableFuture().join();
    assertThat(thirdClaimed).containsExactly(false);
    Future<Void> checked = vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        again.put(Thread.currentThread().getName(), pool.current());
      }
    }, new DeploymentOptions().setInstances(4)).mapEmpty();
    Await.result(checked, 10);
    again.forEach((thread, p) -> assertThat(p).as(thread).isSameAs(seen.getOrDefault(thread, built.get(2))));
  }

  @Test
  void offAnEventLoopTheBackgroundPoolServesAndNothingIsClaimed() {
    LoopAffinePool pool = pool(2, 16);
    assertThat(pool.claim()).isFalse();
    assertThat(pool.current()).isSameAs(built.get(2));
    assertThat(pool.pools()).isEqualTo(2);
  }

  @Test
  void withOneHttpLoopTheOtherLoopsUseTheBackgroundPool() {
    LoopAffinePool pool = pool(1, 16); // 15 for the HTTP loop, 1 for everything else
    Map<String, Pool> seen = new ConcurrentHashMap<>();
    Await.result(vertx.deployVerticle(() -> new Claimer(pool, seen), new DeploymentOptions().setInstances(1)), 10);
    assertThat(seen.values()).containsExactly(built.get(0));
    Map<String, Pool> others = new ConcurrentHashMap<>();
    Await.result(vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        others.put(Thread.currentThread().getName(), pool.current());
      }
    }, new DeploymentOptions().setInstances(3)).mapEmpty(), 10);
    others.forEach((thread, p) -> assertThat(p).as(thread).isSameAs(seen.getOrDefault(thread, built.get(1))));
    assertThat(others.values()).as("a loop other than the HTTP one").contains(built.get(1));
  }

  @Test
  void aWorkerThreadIsNoEventLoopAndGetsTheBackgroundPool() {
    LoopAffinePool pool = pool(2, 16);
    List<Boolean> claimed = new ArrayList<>();
    List<Pool> current = new ArrayList<>();
    Await.result(vertx.deployVerticle(() -> new AbstractVerticle() {
      @Override
      public void start() {
        claimed.add(pool.claim());
        current.add(pool.current());
      }
    }, new DeploymentOptions().setThreadingModel(io.vertx.core.ThreadingModel.WORKER)), 10);
    assertThat(claimed).containsExactly(false);
    assertThat(current).containsExactly(built.get(2));
  }

  /** Sizes and closing count the background pool once, whether it is a pool of its own or the first loop's. */
  @Test
  void sizeAndCloseCoverEveryPoolOnce() {
    LoopAffinePool separate = pool(2, 16);
    LoopAffinePool shared = pool(1, 1); // one connection: the loop's pool is also the background pool
    assertThat(shared.current()).isSameAs(built.get(built.size() - 1));
    assertThat(separate.size()).isZero(); // nothing connected yet
    assertThat(shared.size()).isZero();
    // statements are created on the caller's pool without connecting
    assertThat(separate.query("SELECT 1")).isNotNull();
    assertThat(separate.preparedQuery("SELECT $1")).isNotNull();
    assertThat(separate.preparedQuery("SELECT $1", new io.vertx.sqlclient.PrepareOptions())).isNotNull();
    Await.result(separate.close(), 10);
    Await.result(shared.close(), 10);
  }
}
