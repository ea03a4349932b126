package io.tenantry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the current request's id, tenant and user into the MDC just before a log line is made, on the thread that
 * makes it, so every line of a request carries them (the JSON encoder writes them under "mdc"), and removes them
 * for lines made outside a request. Installed in logback.xml as a turbo filter; it never filters anything out.
 */
public final class RequestMdcFilter extends TurboFilter {
  public static final String REQUEST_ID = "requestId";
  public static final String TENANT_ID = "tenantId";
  public static final String USER_ID = "userId";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // level is null for isXxxEnabled() checks; getEffectiveLevel does not call turbo filters again
    if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    RoutingContext request = RequestLogContext.current();
    if (request == null) {
      MDC.remove(REQUEST_ID);
      MDC.remove(TENANT_ID);
      MDC.remove(USER_ID);
    } else {
      put(REQUEST_ID, RequestLogContext.requestId(request));
      put(TENANT_ID, RequestLogContext.tenantId(request));
      put(USER_ID, RequestLogContext.userId(request));
    }
    return FilterReply.NEUTRAL;
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
