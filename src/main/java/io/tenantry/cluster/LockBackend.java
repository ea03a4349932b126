package io.tenantry.cluster;

import io.vertx.core.Future;

/** The cluster-wide half of a {@link ClusterLocks} lock; callers within one node are already serialized. */
interface LockBackend {

  /** Fails with {@link LockUnavailable} when the lock is not had within {@code waitMs}. */
  Future<Void> acquire(String name, long waitMs);

  /** Completes once the lock is free for other nodes again. */
  Future<Void> release(String name);

  /** For a standalone node: the node-local lock is the whole story. */
  static LockBackend none() {
    return new LockBackend() {
      @Override
      public Future<Void> acquire(String name, long waitMs) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> release(String name) {
        return Future.succeededFuture();
      }
    };
  }
}
