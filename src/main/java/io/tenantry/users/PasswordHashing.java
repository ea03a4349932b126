package io.tenantry.users;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every password hash runs here: on a worker pool of its own ({@value #POOL}), because Vert.x's default worker
 * pool also validates every API request (vertx-openapi), so slow hashes queued there would delay the data plane.
 * At most threads + queue hashes are admitted at once; the next is refused before any hashing with 503 and
 * Retry-After, so a flood of sign-ins costs a bounded amount of CPU and memory and fails fast.
 */
public final class PasswordHashing {
  public static final String POOL = "tenantry-passwords";
  public static final Problem BUSY = Problem.unavailable(
    "too many passwords are being checked on this server right now; retry after the Retry-After delay", 1);

  private final Passwords passwords;
  private final WorkerExecutor executor;
  private final int capacity;
  private final AtomicInteger admitted = new AtomicInteger();

  public PasswordHashing(Vertx vertx, Passwords passwords, int threads, int queue) {
    this.passwords = passwords;
    this.executor = vertx.createSharedWorkerExecutor(POOL, threads, 60, TimeUnit.SECONDS);
    this.capacity = threads + queue;
  }

  public Future<String> hash(String password) {
    return admit(() -> passwords.hash(password));
  }

  /** @param stored the stored hash, or null for an unknown user (then as slow as a wrong password, and false) */
  public Future<Boolean> verify(String password, String stored) {
    return admit(() -> passwords.verify(password, stored));
  }

  /** Hashes running or waiting for a thread. */
  /** Closes the pool; hashing still queued fails. */
  public Future<Void> close() {
    return executor.close();
  }

  public int inFlight() {
    return admitted.get();
  }

  private <T> Future<T> admit(Callable<T> work) {
    if (admitted.incrementAndGet() > capacity) {
      admitted.decrementAndGet();
      return Future.failedFuture(BUSY);
    }
    return executor.executeBlocking(work, false).andThen(done -> admitted.decrementAndGet());
  }
}
