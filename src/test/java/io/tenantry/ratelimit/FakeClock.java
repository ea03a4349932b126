package io.tenantry.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic clock in ns that moves only when the test says so. */
final class FakeClock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  long nanos() {
    return nanos.get();
  }

  long micros() {
    return nanos.get() / 1000;
  }

  void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }
}
