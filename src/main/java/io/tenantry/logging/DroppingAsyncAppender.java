package io.tenantry.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log's appender, set never to block: an event loop that logs a request puts the event in a bounded queue
 * and goes on; the appender's own thread writes it. When the queue is full (the disk or the pipe behind stdout is
 * slower than the requests), the line is dropped rather than the event loop stalled, and the drop is counted:
 * {@link #dropped()} for metrics, and a warning on the main log at most every {@value #REPORT_EVERY_MS} ms saying how
 * many lines were lost.
 *
 * <p>Built for one line per request at tens of thousands of requests a second on a core shared with the server: the
 * writer thread is never woken by a request (it takes what has queued every {@value #BUSY_PAUSE_MS} ms while lines
 * come, less often when idle; each pause is a timer and two switches of the core, so not shorter), and with an
 * {@code <encoder>} it writes each batch of lines to stdout in one call —
 * whole lines only, so they never interleave with the main log's. Logback's own {@code AsyncAppender} wakes its
 * worker for every event and its console appender flushes every line: two system calls a request. With
 * {@code <appender-ref>}s instead of an encoder, each event is handed to them, one by one (tests, other sinks).
 */
public final class DroppingAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
  implements AppenderAttachable<ILoggingEvent> {
  static final long REPORT_EVERY_MS = 10_000;
  static final long BUSY_PAUSE_MS = 10;
  static final long IDLE_PAUSE_MS = 50;
  private static final int BATCH = 1024;
  private static final LongAdder DROPPED = new LongAdder();
  private static final Logger LOG = LoggerFactory.getLogger("io.tenantry.logging");

  private final AppenderAttachableImpl<ILoggingEvent> attached = new AppenderAttachableImpl<>();
  private final AtomicLong reportedAt = new AtomicLong();
  private final AtomicLong reportedCount = new AtomicLong();
  private int queueSize = 8192;
  private Encoder<ILoggingEvent> encoder;
  private ArrayBlockingQueue<ILoggingEvent> queue;
  private Thread writer;
  private volatile boolean stopping;

  /** Lines lost by every access-log appender of this JVM since it started. */
  public static long dropped() {
    return DROPPED.sum();
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1");
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    stopping = false;
    writer = new Thread(this::writeUntilStopped, "access-log-writer-" + getName());
    writer.setDaemon(true);
    super.start();
    writer.start();
  }

  /** Writes what is queued, then stops (the configuration's shutdown hook calls this when the JVM exits). */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    stopping = true;
    LockSupport.unpark(writer);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    attached.detachAndStopAllAppenders();
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing(); // the key-value pairs and the MDC as they are now, on the request's thread
    if (!queue.offer(event)) {
      DROPPED.increment();
      report();
    }
  }

  private void writeUntilStopped() {
    List<ILoggingEvent> batch = new ArrayList<>(BATCH);
    Lines lines = new Lines();
    long lastLineAt = 0;
    while (true) {
      boolean last = stopping;
      queue.drainTo(batch, BATCH);
      if (!batch.isEmpty()) {
        write(batch, lines);
        batch.clear();
        lastLineAt = System.nanoTime();
        continue; // more may have queued meanwhile
      }
      if (last) {
        return;
      }
      boolean busy = System.nanoTime() - lastLineAt < TimeUnit.SECONDS.toNanos(1);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(busy ? BUSY_PAUSE_MS : IDLE_PAUSE_MS));
    }
  }

  private void write(List<ILoggingEvent> batch, Lines lines) {
    if (encoder == null) {
      for (ILoggingEvent event : batch) {
        attached.appendLoopOnAppenders(event);
      }
      return;
    }
    lines.reset();
    for (ILoggingEvent event : batch) {
      try {
        lines.add(encoder, event);
      } catch (IOException | RuntimeException e) {
        addError("could not encode an access log line", e);
      }
    }
    PrintStream out = System.out; // read each time: tests and tools may redirect it
    try {
      lines.writeTo(out);
      out.flush();
    } catch (IOException e) {
      addError("could not write the access log", e);
    }
  }

  /**
   * A batch of encoded lines, kept by the writer thread from batch to batch. A {@link LeanJsonEncoder} appends each
   * line to one builder, encoded to bytes once for the batch: nothing is allocated per line.
   */
  private static final class Lines {
    private final StringBuilder text = new StringBuilder(64 * 1024);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);

    void reset() {
      text.setLength(0);
      bytes.reset();
    }

    void add(Encoder<ILoggingEvent> encoder, ILoggingEvent event) throws IOException {
      if (encoder instanceof LeanJsonEncoder lean) {
        int lineStart = text.length();
        try {
          lean.encodeTo(event, text);
        } catch (RuntimeException e) {
          text.setLength(lineStart); // no half line
          throw e;
        }
      } else {
        flushText();
        bytes.write(encoder.encode(event));
      }
    }

    void writeTo(PrintStream out) throws IOException {
      flushText();
      bytes.writeTo(out);
    }

    private void flushText() throws IOException {
      if (!text.isEmpty()) {
        bytes.write(text.toString().getBytes(StandardCharsets.UTF_8));
        text.setLength(0);
      }
    }
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

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    attached.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return attached.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return attached.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return attached.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    attached.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return attached.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return attached.detachAppender(name);
  }
}
