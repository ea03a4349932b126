package io.tenantry.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's {@link AsyncAppender} for the access log, set never to block: an event loop that logs a request hands
 * the event to a bounded queue and goes on; a thread of the appender encodes and writes it. When the queue is full
 * (the disk or the pipe behind stdout is slower than the requests), the line is dropped rather than the event loop
 * stalled, and the drop is counted: {@link #dropped()} for metrics, and a warning on the main log at most every
 * {@value #REPORT_EVERY_MS} ms saying how many lines were lost.
 *
 * <p>The count is of appends that found the queue full, read just before the offer; a line that an emptying queue
 * still took may be counted, never the other way round.
 */
public final class DroppingAsyncAppender extends AsyncAppender {
  static final long REPORT_EVERY_MS = 10_000;
  private static final LongAdder DROPPED = new LongAdder();
  private static final Logger LOG = LoggerFactory.getLogger("io.tenantry.logging");

  private final AtomicLong reportedAt = new AtomicLong();
  private final AtomicLong reportedCount = new AtomicLong();

  public DroppingAsyncAppender() {
    setNeverBlock(true);
    setDiscardingThreshold(0); // the base class would drop INFO lines at 80% full: every access line is INFO
    setIncludeCallerData(false);
  }

  /** Lines lost by every access-log appender of this JVM since it started. */
  public static long dropped() {
    return DROPPED.sum();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (getRemainingCapacity() == 0) {
      DROPPED.increment();
      report();
    }
    super.append(event);
  }

  private void report() {
    long now = System.currentTimeMillis();
    long last = reportedAt.get();
    if (now - last < REPORT_EVERY_MS || !reportedAt.compareAndSet(last, now)) {
      return;
    }
    long total = DROPPED.sum();
    long since = total - reportedCount.getAndSet(total);
    LOG.atWarn().addKeyValue("dropped", since).addKeyValue("droppedTotal", total)
      .log("access log queue full: lines dropped instead of blocking the event loop");
  }
}
