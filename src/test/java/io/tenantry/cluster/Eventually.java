package io.tenantry.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, polling; never a fixed sleep that guesses how long things take. */
final class Eventually {
  private Eventually() {
  }

  /**
   * Fails the test when {@code condition} does not hold within {@code deadline} of this call; returns how long it
   * took (logged by the caller, so a run shows how much margin there was).
   */
  static Duration within(Duration deadline, String what, BooleanSupplier condition) {
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError(what + ": not within " + deadline.toMillis() + " ms");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(what + ": interrupted");
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
