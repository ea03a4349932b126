package io.tenantry.support;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes — instead of sleeping for a guessed time. Polls every 10 ms:
 * a condition that sends a request must not spend its tenant's rate limit or the machine's CPU on a tight loop.
 */
public final class Eventually {
  private static final long POLL_NANOS = 10_000_000;

  private Eventually() {
  }

  /** @return how long it took */
  public static Duration within(Duration limit, String what, Supplier<Boolean> condition) {
    Instant start = Instant.now();
    Instant deadline = start.plus(limit);
    while (!condition.get()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + ": not reached within " + limit);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
    return Duration.between(start, Instant.now());
  }
}
