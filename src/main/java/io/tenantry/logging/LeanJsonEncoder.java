package io.tenantry.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Logback's {@link JsonEncoder}, byte for byte, written straight into one builder. The parent escapes every field
 * into a string of its own first (a builder per field, grown again for each escaped "/" of a path), starts each line
 * with a 1 KiB builder and copies the line twice on the way out: for the access log, a line per request, that was
 * most of the logging's cost. {@link #encodeTo} appends a line to a caller's builder, so an appender writing batches
 * ({@link DroppingAsyncAppender}) allocates nothing per line. Same members, same order, same escapes (RFC 8259's
 * obligatory ones, and "/" as "\/"); an event with a throwable, markers or arguments, and the logger context, are
 * left to the parent, which writes them the same way.
 */
public final class LeanJsonEncoder extends JsonEncoder {
  private static final String NULL = "null";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final int LINE = 512;

  // the parent's settings, which it keeps private; the setters below keep both in step
  private boolean withSequenceNumber = true;
  private boolean withTimestamp = true;
  private boolean withNanoseconds = true;
  private boolean withLevel = true;
  private boolean withThreadName = true;
  private boolean withLoggerName = true;
  private boolean withContext = true;
  private boolean withMarkers = true;
  private boolean withMDC = true;
  private boolean withKVPList = true;
  private boolean withMessage = true;
  private boolean withArguments = true;
  private boolean withThrowable = true;
  private boolean withFormattedMessage = false;

  @Override
  public byte[] encode(ILoggingEvent event) {
    if (!plain(event)) {
      return super.encode(event);
    }
    StringBuilder sb = new StringBuilder(LINE);
    line(sb, event);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Appends the event's line, its line separator included: the characters whose UTF-8 bytes {@link #encode} returns. */
  public void encodeTo(ILoggingEvent event, StringBuilder sb) {
    if (plain(event)) {
      line(sb, event);
    } else {
      sb.append(new String(super.encode(event), StandardCharsets.UTF_8));
    }
  }

  /** Nothing but what {@link #line} writes: no logger context, markers, arguments or throwable to write. */
  private boolean plain(ILoggingEvent event) {
    return !withContext
      && !(withMarkers && event.getMarkerList() != null)
      && !(withArguments && event.getArgumentArray() != null)
      && !(withThrowable && event.getThrowableProxy() != null);
  }

  /** The parent's {@code encode}, member by member, for a {@link #plain} event. */
  private void line(StringBuilder sb, ILoggingEvent event) {
    sb.append(OPEN_OBJ);
    boolean any = false;
    if (withSequenceNumber) {
      sb.append(QUOTE).append(SEQUENCE_NUMBER_ATTR_NAME).append(QUOTE_COL).append(event.getSequenceNumber());
      any = true;
    }
    if (withTimestamp) {
      separate(sb, any);
      sb.append(QUOTE).append(TIMESTAMP_ATTR_NAME).append(QUOTE_COL).append(event.getTimeStamp());
      any = true;
    }
    if (withNanoseconds) {
      separate(sb, any);
      sb.append(QUOTE).append(NANOSECONDS_ATTR_NAME).append(QUOTE_COL).append(event.getNanoseconds());
      any = true;
    }
    if (withLevel) {
      separate(sb, any);
      appenderMember(sb, LEVEL_ATTR_NAME, event.getLevel() != null ? event.getLevel().levelStr : NULL);
      any = true;
    }
    if (withThreadName) {
      separate(sb, any);
      member(sb, THREAD_NAME_ATTR_NAME, event.getThreadName());
      any = true;
    }
    if (withLoggerName) {
      separate(sb, any);
      appenderMember(sb, LOGGER_ATTR_NAME, event.getLoggerName());
    }
    if (withMDC) {
      appendMDC(sb, event);
    }
    if (withKVPList) {
      appendKeyValuePairs(sb, event);
    }
    if (withMessage) {
      sb.append(VALUE_SEPARATOR);
      member(sb, MESSAGE_ATTR_NAME, event.getMessage());
    }
    if (withFormattedMessage) {
      sb.append(VALUE_SEPARATOR);
      member(sb, FORMATTED_MESSAGE_ATTR_NAME, event.getFormattedMessage());
    }
    if (withThrowable) { // plain: there is none
      sb.append(VALUE_SEPARATOR).append(QUOTE).append(THROWABLE_ATTR_NAME).append(QUOTE_COL).append(NULL);
    }
    sb.append(CLOSE_OBJ).append(CoreConstants.JSON_LINE_SEPARATOR);
  }

  private static void separate(StringBuilder sb, boolean any) {
    if (any) {
      sb.append(VALUE_SEPARATOR);
    }
  }

  @Override
  protected void appendMDC(StringBuilder sb, ILoggingEvent event) {
    Map<String, String> map = event.getMDCPropertyMap();
    sb.append(VALUE_SEPARATOR).append(QUOTE).append(MDC_ATTR_NAME).append(QUOTE_COL).append(SP).append(OPEN_OBJ);
    if (map != null) {
      boolean first = true;
      for (Map.Entry<String, String> entry : map.entrySet()) {
        if (!first) {
          sb.append(VALUE_SEPARATOR);
        }
        member(sb, entry.getKey(), entry.getValue());
        first = false;
      }
    }
    sb.append(CLOSE_OBJ);
  }

  @Override
  protected void appendKeyValuePairs(StringBuilder sb, ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null || pairs.isEmpty()) {
      return;
    }
    sb.append(VALUE_SEPARATOR).append(QUOTE).append(KEY_VALUE_PAIRS_ATTR_NAME).append(QUOTE_COL).append(SP)
      .append(OPEN_ARRAY);
    for (int i = 0; i < pairs.size(); i++) {
      if (i != 0) {
        sb.append(VALUE_SEPARATOR);
      }
      KeyValuePair pair = pairs.get(i);
      sb.append(OPEN_OBJ);
      member(sb, pair.key, pair.value);
      sb.append(CLOSE_OBJ);
    }
    sb.append(CLOSE_ARRAY);
  }

  /** {@code "key":"value"}, both escaped; null as the string "null", as the parent writes it. */
  private static void member(StringBuilder sb, Object key, Object value) {
    sb.append(QUOTE);
    escaped(sb, key == null ? NULL : key.toString());
    sb.append(QUOTE_COL).append(QUOTE);
    escaped(sb, value == null ? NULL : value.toString());
    sb.append(QUOTE);
  }

  static void escaped(StringBuilder sb, String s) {
    int length = s.length();
    int from = 0;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 32 || c == '"' || c == '/' || c == '\\') {
        sb.append(s, from, i);
        escape(sb, c);
        from = i + 1;
      }
    }
    sb.append(s, from, length);
  }

  private static void escape(StringBuilder sb, char c) {
    switch (c) {
      case '\b' -> sb.append("\\b");
      case '\t' -> sb.append("\\t");
      case '\n' -> sb.append("\\n");
      case '\f' -> sb.append("\\f");
      case '\r' -> sb.append("\\r");
      case '"', '/', '\\' -> sb.append('\\').append(c);
      default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0x0F]);
    }
  }

  @Override
  public void setWithSequenceNumber(boolean on) {
    super.setWithSequenceNumber(on);
    withSequenceNumber = on;
  }

  @Override
  public void setWithTimestamp(boolean on) {
    super.setWithTimestamp(on);
    withTimestamp = on;
  }

  @Override
  public void setWithNanoseconds(boolean on) {
    super.setWithNanoseconds(on);
    withNanoseconds = on;
  }

  @Override
  public void setWithLevel(boolean on) {
    super.setWithLevel(on);
    withLevel = on;
  }

  @Override
  public void setWithThreadName(boolean on) {
    super.setWithThreadName(on);
    withThreadName = on;
  }

  @Override
  public void setWithLoggerName(boolean on) {
    super.setWithLoggerName(on);
    withLoggerName = on;
  }

  @Override
  public void setWithContext(boolean on) {
    super.setWithContext(on);
    withContext = on;
  }

  @Override
  public void setWithMarkers(boolean on) {
    super.setWithMarkers(on);
    withMarkers = on;
  }

  @Override
  public void setWithMDC(boolean on) {
    super.setWithMDC(on);
    withMDC = on;
  }

  @Override
  public void setWithKVPList(boolean on) {
    super.setWithKVPList(on);
    withKVPList = on;
  }

  @Override
  public void setWithMessage(boolean on) {
    super.setWithMessage(on);
    withMessage = on;
  }

  @Override
  public void setWithArguments(boolean on) {
    super.setWithArguments(on);
    withArguments = on;
  }

  @Override
  public void setWithThrowable(boolean on) {
    super.setWithThrowable(on);
    withThrowable = on;
  }

  @Override
  public void setWithFormattedMessage(boolean on) {
    super.setWithFormattedMessage(on);
    withFormattedMessage = on;
  }
}
