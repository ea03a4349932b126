package io.tenantry.pipeline;

import io.tenantry.http.Problem;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per caller, how many of its requests named a tenant it cannot use (refused or unknown) in the current window;
 * past the allowance its requests are answered 429 before anything is looked up. Node-local and bounded: the
 * windows of a node's callers, started afresh when too many are held.
 */
final class FailedResolutions {
  static final long WINDOW_MS = 60_000;
  private static final int MAX_CALLERS = 10_000;

  private static final class Window {
    final long startedAt;
    int failures;

    Window(long startedAt) {
      this.startedAt = startedAt;
    }
  }

  private final int allowance;
  private final long windowMs;
  private final LongSupplier clock;
  private final Map<UUID, Window> windows = new ConcurrentHashMap<>();

  FailedResolutions(int allowance, long windowMs, LongSupplier clockMillis) {
    this.allowance = allowance;
    this.windowMs = windowMs;
    this.clock = clockMillis;
  }

  void record(UUID caller) {
    long now = clock.getAsLong();
    if (windows.size() >= MAX_CALLERS) {
      windows.clear();
    }
    Window window = windows.compute(caller, (id, w) -> w == null || now - w.startedAt >= windowMs ? new Window(now) : w);
    synchronized (window) {
      window.failures++;
    }
  }

  boolean exhausted(UUID caller) {
    if (windows.isEmpty()) {
      return false;
    }
    Window window = windows.get(caller);
    if (window == null) {
      return false;
    }
    if (clock.getAsLong() - window.startedAt >= windowMs) {
      windows.remove(caller, window);
      return false;
    }
    synchronized (window) {
      return window.failures > allowance;
    }
  }

  Problem tooMany() {
    long retry = Math.max(1, windowMs / 1000);
    return Problem.of(429, "too-many-requests", "Too many requests",
        "too many requests named tenants this token cannot use; retry in " + retry + " s")
      .withHeader("Retry-After", Long.toString(retry));
  }
}
