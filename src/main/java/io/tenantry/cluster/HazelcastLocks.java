package io.tenantry.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * Cluster-wide locks on a Hazelcast IMap's key locks. Hazelcast releases a key lock when its owner member leaves
 * or is declared dead (after cluster.failure-timeout-seconds at most), so a crashed node blocks no one for good.
 *
 * <p>Why not {@code vertx.sharedData().getLockWithTimeout}: vertx-hazelcast takes that lock on a pooled worker
 * thread, and Hazelcast key locks are re-entrant per thread, so two callers in the same JVM whose acquisitions
 * land on the same worker thread both "get" it (we measured 19 concurrent holders of one lock with 20 callers),
 * and its release is fire-and-forget, so the next acquisition can race with it. Here {@link ClusterLocks} lets
 * one caller per node at a time in, and a release completes only once Hazelcast has unlocked.
 *
 * <p>Both calls block a worker thread (Hazelcast's lock API is blocking): never on an event loop.
 */
final class HazelcastLocks implements LockBackend {
  static final String MAP = "tenantry.locks";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  HazelcastLocks(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  @Override
  public Future<Void> acquire(String name, long waitMs) {
    return vertx.executeBlocking(() -> {
      if (!locks().tryLock(name, waitMs, TimeUnit.MILLISECONDS)) {
        throw new LockUnavailable(name, "held elsewhere in the cluster");
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> release(String name) {
    // forceUnlock: the acquiring worker thread is long gone, and only this node's one holder can get here.
    return vertx.executeBlocking(() -> {
      locks().forceUnlock(name);
      return null;
    }, false);
  }

  private IMap<String, Boolean> locks() {
    return hazelcast.getMap(MAP);
  }
}
