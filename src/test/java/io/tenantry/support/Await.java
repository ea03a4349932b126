package io.tenantry.support;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks a test thread (never an event loop) on a Future, bounded so a hung request fails the test. */
public final class Await {
  private Await() {
  }

  public static <T> T result(Future<T> future) {
    return result(future, 60);
  }

  public static <T> T result(Future<T> future, int seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(future.isComplete() ? "failed with " + e : "no result within " + seconds + " s", e);
    }
  }

  /** As {@link #result(Future, int)}, and a timeout's message names what was awaited and where the threads were. */
  public static <T> T result(Future<T> future, int seconds, String what) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": no result within " + seconds + " s; threads:\n" + ThreadDump.compact(), e);
    }
  }
}
