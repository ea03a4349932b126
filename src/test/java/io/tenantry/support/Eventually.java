package io.tenantry.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes — instead of sleeping for a guessed time. */
public final class Eventually {
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
      Thread.onSpinWait();
    }
    return Duration.between(start, Instant.now());
  }
}
