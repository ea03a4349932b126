package io.tenantry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.CallerData;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.core.spi.SequenceNumberGenerator;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A request's access line as a small Logback event made on the event loop. Logback's own way makes, per request, a
 * {@code LoggingEvent}, the turbo filter's puts of the request's ids into the thread's MDC, a copy of that MDC, a
 * list of key-value pairs and boxed numbers; this event holds the few fields and builds the MDC map and the
 * key-value pairs only when an appender reads them, which for the shipped {@link DroppingAsyncAppender} is on its
 * writer thread. The line an encoder writes is the same: the same MDC
 * (requestId, tenantId, userId, each only when known) and pairs (method, path, status, durationMs).
 *
 * <p>It goes to the access logger's appenders as Logback would send it ({@link Logger#callAppenders}: the logger's
 * level, its appenders, additivity, each appender's filters); turbo filters are not consulted for it.
 */
public final class AccessLine implements ILoggingEvent {
  public static final String LOGGER_NAME = "io.tenantry.access";
  private static final String MESSAGE = "request";
  private static final org.slf4j.Logger SLF4J = LoggerFactory.getLogger(LOGGER_NAME);

  private final Instant instant;
  private final String threadName;
  private final long sequenceNumber;
  private final LoggerContextVO context;
  private final String requestId;
  private final UUID tenant;
  private final UUID user;
  private final String method;
  private final String path;
  private final int status;
  private final double durationMs;
  // built by whichever thread reads them first; immutable, so safely published through their final fields
  private Map<String, String> mdc;
  private List<KeyValuePair> pairs;

  AccessLine(Logger logger, String requestId, UUID tenant, UUID user, String method, String path, int status,
             double durationMs) {
    this.instant = Instant.now();
    this.threadName = Thread.currentThread().getName();
    SequenceNumberGenerator numbers = logger.getLoggerContext().getSequenceNumberGenerator();
    this.sequenceNumber = numbers == null ? 0 : numbers.nextSequenceNumber();
    this.context = logger.getLoggerContext().getLoggerContextRemoteView();
    this.requestId = requestId;
    this.tenant = tenant;
    this.user = user;
    this.method = method;
    this.path = path;
    this.status = status;
    this.durationMs = durationMs;
  }

  /** Logs a request's line on the access logger, when its level lets INFO through. */
  public static void log(RoutingContext ctx, String method, String path, int status, double durationMs) {
    if (SLF4J instanceof Logger logger) {
      if (Level.INFO.isGreaterOrEqual(logger.getEffectiveLevel())) {
        logger.callAppenders(new AccessLine(logger, RequestLogContext.requestId(ctx), RequestLogContext.tenant(ctx),
          RequestLogContext.user(ctx), method, path, status, durationMs));
      }
      return;
    }
    // another SLF4J binding than Logback's: its own events
    SLF4J.atInfo().addKeyValue("method", method).addKeyValue("path", path).addKeyValue("status", status)
      .addKeyValue("durationMs", durationMs).log(MESSAGE);
  }

  /** requestId, tenantId, userId: what {@link RequestMdcFilter} puts into the MDC for any line of the request. */
  @Override
  public Map<String, String> getMDCPropertyMap() {
    if (mdc == null) {
      Map<String, String> map = new HashMap<>();
      putKnown(map, RequestMdcFilter.REQUEST_ID, requestId);
      putKnown(map, RequestMdcFilter.TENANT_ID, tenant == null ? null : tenant.toString());
      putKnown(map, RequestMdcFilter.USER_ID, user == null ? null : user.toString());
      mdc = Collections.unmodifiableMap(new HashMap<>(map)); // sized as Logback's copy of the MDC, so in its order
    }
    return mdc;
  }

  private static void putKnown(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    if (pairs == null) {
      pairs = List.of(new KeyValuePair("method", method), new KeyValuePair("path", path),
        new KeyValuePair("status", status), new KeyValuePair("durationMs", durationMs));
    }
    return pairs;
  }

  @Override
  @SuppressWarnings("deprecation")
  public Map<String, String> getMdc() {
    return getMDCPropertyMap();
  }

  @Override
  public String getThreadName() {
    return threadName;
  }

  @Override
  public Level getLevel() {
    return Level.INFO;
  }

  @Override
  public String getMessage() {
    return MESSAGE;
  }

  @Override
  public Object[] getArgumentArray() {
    return null;
  }

  @Override
  public String getFormattedMessage() {
    return MESSAGE;
  }

  @Override
  public String getLoggerName() {
    return LOGGER_NAME;
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return context;
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    return null;
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return CallerData.EMPTY_CALLER_DATA_ARRAY;
  }

  @Override
  public boolean hasCallerData() {
    return false;
  }

  @Override
  public List<Marker> getMarkerList() {
    return null;
  }

  @Override
  public long getTimeStamp() {
    return instant.toEpochMilli();
  }

  @Override
  public int getNanoseconds() {
    return instant.getNano();
  }

  @Override
  public Instant getInstant() {
    return instant;
  }

  @Override
  public long getSequenceNumber() {
    return sequenceNumber;
  }

  /** Everything it holds is fixed when it is made. */
  @Override
  public void prepareForDeferredProcessing() {
  }
}
