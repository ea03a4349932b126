package io.tenantry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DroppingAsyncAppenderTest {

  /** A sink as slow as a stalled disk: it holds the appender's worker until released. */
  private static final class StalledSink extends AppenderBase<ILoggingEvent> {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger written = new AtomicInteger();

    @Override
    protected void append(ILoggingEvent event) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.incrementAndGet();
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlockingTheCaller() throws Exception {
    LoggerContext context = context();
    StalledSink sink = new StalledSink();
    sink.setContext(context);
    sink.start();
    DroppingAsyncAppender appender = new DroppingAsyncAppender();
    appender.setContext(context);
    appender.setQueueSize(4);
    appender.addAppender(sink);
    appender.start();
    long before = DroppingAsyncAppender.dropped();

    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      appender.doAppend(event(context, "line " + i));
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(elapsedMs).as("100 appends against a stalled sink return at once").isLessThan(2_000);
    long dropped = DroppingAsyncAppender.dropped() - before;
    assertThat(dropped).as("lines beyond the queue and the one in the worker's hands are dropped").isBetween(90L, 96L);
    sink.release.countDown();
    appender.stop(); // flushes what the queue holds
    assertThat(sink.written.get() + dropped).as("every line is either written or counted as dropped").isGreaterThanOrEqualTo(100);
  }

  @Test
  void belowItsCapacityNothingIsDroppedAndEveryLineIsWritten() {
    LoggerContext context = context();
    StalledSink sink = new StalledSink();
    sink.release.countDown();
    sink.setContext(context);
    sink.start();
    DroppingAsyncAppender appender = new DroppingAsyncAppender();
    appender.setContext(context);
    appender.setQueueSize(256);
    appender.addAppender(sink);
    appender.start();
    long before = DroppingAsyncAppender.dropped();

    for (int i = 0; i < 200; i++) {
      appender.doAppend(event(context, "line " + i));
    }
    appender.stop();

    assertThat(DroppingAsyncAppender.dropped() - before).isZero();
    assertThat(sink.written.get()).isEqualTo(200);
  }

  @Test
  void theShippedConfigurationWritesWholeJsonLinesToStdoutInOrder() throws Exception {
    for (String configuration : new String[] {"/logback.xml", "/logback-dev.xml"}) {
      LoggerContext context = context();
      ch.qos.logback.classic.joran.JoranConfigurator joran = new ch.qos.logback.classic.joran.JoranConfigurator();
      joran.setContext(context);
      joran.doConfigure(DroppingAsyncAppenderTest.class.getResource(configuration));
      java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
      java.io.PrintStream stdout = System.out;
      System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        org.slf4j.Logger access = context.getLogger("io.tenantry.access");
        for (int i = 0; i < 500; i++) {
          // now and then a JSON line the lean encoder leaves to Logback's (a throwable), in the same batch, in order
          // (the dev profile's pattern would print its stack trace over many lines)
          boolean failed = configuration.equals("/logback.xml") && i % 100 == 7;
          access.atInfo().addKeyValue("requestId", "r-" + i).addKeyValue("path", "/caf\u00e9/\u4e2d")
            .addKeyValue("status", 200).setCause(failed ? new IllegalStateException("boom " + i) : null)
            .log("request");
        }
        context.stop(); // the shutdown hook's stop: everything queued is written
      } finally {
        System.setOut(stdout);
      }
      List<String> lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
      assertThat(lines).as(configuration).hasSize(500);
      for (int i = 0; i < 500; i++) {
        assertThat(lines.get(i)).as(configuration).contains("r-" + i + (configuration.equals("/logback.xml") ? "\"" : " "));
      }
      if (configuration.equals("/logback.xml")) {
        for (int i = 0; i < 500; i++) {
          io.vertx.core.json.JsonObject line = new io.vertx.core.json.JsonObject(lines.get(i));
          assertThat(line.getString("loggerName")).isEqualTo("io.tenantry.access");
          assertThat(line.getJsonArray("kvpList").getJsonObject(1).getString("path")).isEqualTo("/caf\u00e9/\u4e2d");
          assertThat(line.getValue("throwable") != null).as("line " + i).isEqualTo(i % 100 == 7);
        }
      }
    }
  }

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static LoggingEvent event(LoggerContext context, String message) {
    return new LoggingEvent(DroppingAsyncAppenderTest.class.getName(), context.getLogger("io.tenantry.access"),
      Level.INFO, message, null, null);
  }
}
