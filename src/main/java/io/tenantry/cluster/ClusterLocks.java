package io.tenantry.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Named locks for work that must not run on two nodes at once: provisioning or migrating a tenant, scheduled
 * jobs. A lock is first taken on this node (a Vert.x local lock: waiting costs no thread), then in the cluster
 * ({@link HazelcastLocks}; nothing more when standalone), held while the work's Future is pending and released
 * when it completes, whatever the outcome.
 *
 * <p>Not the source of truth. A lock keeps nodes from doing the same work at the same time; whether the work is
 * already done is PostgreSQL's to say ({@link #runOnce}), and work that would corrupt data if it ever ran twice
 * (after a split brain, when both halves hold "the" lock) must also be guarded there — a unique key, a
 * conditional UPDATE or a transaction-scoped advisory lock. Lock names are ours ("tenant:&lt;uuid&gt;:provision"),
 * never a user-chosen string.
 */
public final class ClusterLocks {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterLocks.class);
  private static final String LOCAL_PREFIX = "tenantry.cluster-lock.";

  private final Vertx vertx;
  private final LockBackend cluster;

  ClusterLocks(Vertx vertx, LockBackend cluster) {
    this.vertx = vertx;
    this.cluster = cluster;
  }

  /** Locks of a standalone node: node-local only. */
  public static ClusterLocks local(Vertx vertx) {
    return new ClusterLocks(vertx, LockBackend.none());
  }

  /**
   * Runs {@code work} while holding the lock {@code name} cluster-wide. Fails with {@link LockUnavailable} when the
   * lock is not had within {@code wait} (the work then does not run).
   */
  public <T> Future<T> withLock(String name, Duration wait, Supplier<Future<T>> work) {
    long deadline = System.nanoTime() + wait.toNanos();
    // Vert.x refuses a 0 ms timer: "no wait" means a 1 ms wait for the node-local part.
    return vertx.sharedData().getLocalLockWithTimeout(LOCAL_PREFIX + name, Math.max(1, wait.toMillis()))
      .recover(e -> Future.failedFuture(new LockUnavailable(name, "held by another caller on this node")))
      .compose(local -> holdingLocal(local, name, deadline, work));
  }

  /**
   * Once-only work: under the lock, asks {@code alreadyDone} (which must read the source of truth, PostgreSQL) and
   * runs {@code work} only if it says no. Two nodes racing get one run; a node arriving later finds it done.
   *
   * @return true when this call did the work, false when it was already done
   */
  public Future<Boolean> runOnce(String name, Duration wait, Supplier<Future<Boolean>> alreadyDone,
                                 Supplier<Future<Void>> work) {
    return withLock(name, wait, () -> alreadyDone.get()
      .compose(done -> done ? Future.succeededFuture(false) : work.get().map(true)));
  }

  private <T> Future<T> holdingLocal(Lock local, String name, long deadline, Supplier<Future<T>> work) {
    long remainingMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
    return cluster.acquire(name, remainingMs)
      .compose(held -> run(work).eventually(() -> cluster.release(name)
        .onFailure(e -> LOG.warn("releasing cluster lock {} failed: {}", name, e.toString()))))
      .eventually(() -> {
        local.release();
        return Future.succeededFuture();
      });
  }

  private static <T> Future<T> run(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
