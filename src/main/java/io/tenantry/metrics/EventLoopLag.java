package io.tenantry.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs a task scheduled on it: a probe every 100 ms per loop, its delay past the due time
 * recorded in {@code tenantry_event_loop_lag_seconds}. A loop blocked by slow work shows here first.
 */
public final class EventLoopLag {
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Timer lag;
  private final List<ScheduledFuture<?>> probes = new ArrayList<>();
  private volatile boolean stopped;

  public EventLoopLag(MeterRegistry registry) {
    this.lag = Timer.builder("tenantry.event.loop.lag")
      .description("Delay of a task past its due time on an event loop")
      .serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(10),
        java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(500),
        java.time.Duration.ofSeconds(2))
      .register(registry);
  }

  public void start(Vertx vertx) {
    // Vert.x's public API names no event loop; the internal group is the one place that lists them all.
    for (EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      probe(loop);
    }
  }

  private void probe(EventExecutor loop) {
    if (stopped) {
      return;
    }
    long due = System.nanoTime() + PERIOD_NANOS;
    ScheduledFuture<?> next = loop.schedule(() -> {
      lag.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
      probe(loop);
    }, PERIOD_NANOS, TimeUnit.NANOSECONDS);
    synchronized (probes) {
      probes.removeIf(ScheduledFuture::isDone);
      probes.add(next);
    }
  }

  public void stop() {
    stopped = true;
    synchronized (probes) {
      probes.forEach(p -> p.cancel(false));
      probes.clear();
    }
  }
}
