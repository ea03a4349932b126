package io.tenantry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link AccessLine} is written exactly as the line Logback's own event for the request was: same MDC (in the same
 * order), same key-value pairs, same members, whichever encoder settings; and it reaches the logger's appenders.
 */
class AccessLineTest {
  private static final String PATH = "/api/v1/collections/notes/records/\"odd\"\u00e9";

  @Test
  void theLineIsTheOneLogbacksOwnEventWrites() {
    UUID tenant = UUID.randomUUID();
    UUID user = UUID.randomUUID();
    for (UUID[] ids : List.of(new UUID[] {tenant, user}, new UUID[] {tenant, null}, new UUID[] {null, null})) {
      LoggerContext context = context();
      Logger logger = context.getLogger(AccessLine.LOGGER_NAME);
      String requestId = UUID.randomUUID().toString();
      AccessLine line = new AccessLine(logger, requestId, ids[0], ids[1], "GET", PATH, 404, 1.375);

      LogbackMDCAdapter mdc = (LogbackMDCAdapter) context.getMDCAdapter();
      mdc.put(RequestMdcFilter.REQUEST_ID, requestId);
      if (ids[0] != null) {
        mdc.put(RequestMdcFilter.TENANT_ID, ids[0].toString());
      }
      if (ids[1] != null) {
        mdc.put(RequestMdcFilter.USER_ID, ids[1].toString());
      }
      LoggingEvent logbacks = new LoggingEvent("fqcn", logger, Level.INFO, "request", null, null);
      logbacks.setInstant(line.getInstant());
      logbacks.setThreadName(line.getThreadName());
      logbacks.setKeyValuePairs(List.of(new KeyValuePair("method", "GET"), new KeyValuePair("path", PATH),
        new KeyValuePair("status", 404), new KeyValuePair("durationMs", 1.375)));
      logbacks.getMDCPropertyMap(); // read while this thread's MDC holds the request's ids, as Logback does
      mdc.clear();

      for (Consumer<JsonEncoder> settings : List.<Consumer<JsonEncoder>>of(LeanJsonEncoderTest::shipped, e -> { })) {
        String expected = encode(new JsonEncoder(), settings, context, logbacks);
        assertThat(encode(new JsonEncoder(), settings, context, line)).isEqualTo(expected);
        assertThat(encode(new LeanJsonEncoder(), settings, context, line)).isEqualTo(expected);
      }
      JsonObject written = new JsonObject(encode(new LeanJsonEncoder(), LeanJsonEncoderTest::shipped, context, line));
      assertThat(written.getJsonObject("mdc").getString("requestId")).isEqualTo(requestId);
      assertThat(written.getJsonObject("mdc").getString("tenantId")).isEqualTo(ids[0] == null ? null : ids[0].toString());
      assertThat(written.getJsonArray("kvpList").getJsonObject(1).getString("path")).isEqualTo(PATH);
      assertThat(written.getJsonArray("kvpList").getJsonObject(2).getString("status")).isEqualTo("404");
    }
  }

  @Test
  void itReachesTheAppendersOfTheLoggerAndItsAncestorsAsLogbackSendsIt() {
    LoggerContext context = context();
    ListAppender<ILoggingEvent> own = started(context);
    ListAppender<ILoggingEvent> root = started(context);
    Logger logger = context.getLogger(AccessLine.LOGGER_NAME);
    logger.addAppender(own);
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(root);

    logger.callAppenders(new AccessLine(logger, "r1", null, null, "POST", "/x", 201, 2.0));
    logger.setAdditive(false);
    logger.callAppenders(new AccessLine(logger, "r2", null, null, "POST", "/x", 201, 2.0));

    assertThat(own.list).extracting(e -> e.getMDCPropertyMap().get("requestId")).containsExactly("r1", "r2");
    assertThat(root.list).extracting(e -> e.getMDCPropertyMap().get("requestId")).containsExactly("r1");
    ILoggingEvent event = own.list.get(0);
    assertThat(event.getLevel()).isEqualTo(Level.INFO);
    assertThat(event.getLoggerName()).isEqualTo("io.tenantry.access");
    assertThat(event.getFormattedMessage()).isEqualTo("request");
    assertThat(Arrays.asList(event.getCallerData())).isEmpty();
  }

  private static ListAppender<ILoggingEvent> started(LoggerContext context) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    return appender;
  }

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    return context;
  }

  private static String encode(JsonEncoder encoder, Consumer<JsonEncoder> settings, LoggerContext context,
                               ILoggingEvent event) {
    settings.accept(encoder);
    encoder.setContext(context);
    encoder.start();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
