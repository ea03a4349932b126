package io.tenantry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The lean encoder must write exactly what Logback's JsonEncoder writes: log consumers see one format. */
class LeanJsonEncoderTest {
  private static final LoggerContext CONTEXT = new LoggerContext();

  /** As logback.xml configures both of its encoders. */
  static void shipped(JsonEncoder encoder) {
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
  }

  private static String encode(JsonEncoder encoder, Consumer<JsonEncoder> settings, LoggingEvent event) {
    settings.accept(encoder);
    encoder.setContext(CONTEXT);
    encoder.start();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private static LoggingEvent event(Map<String, String> mdc, List<KeyValuePair> pairs, String message) {
    LoggingEvent event = new LoggingEvent("fqcn", CONTEXT.getLogger("io.tenantry.access"), Level.INFO, message, null,
      null);
    event.setThreadName("vert.x-eventloop-thread-1");
    event.setTimeStamp(1_764_566_400_123L);
    event.setMDCPropertyMap(mdc);
    event.setKeyValuePairs(pairs);
    return event;
  }

  private static void assertSameLine(LoggingEvent event) {
    for (Consumer<JsonEncoder> settings : List.<Consumer<JsonEncoder>>of(LeanJsonEncoderTest::shipped, e -> { })) {
      String parent = encode(new JsonEncoder(), settings, event);
      assertThat(encode(new LeanJsonEncoder(), settings, event)).isEqualTo(parent);
    }
  }

  @Test
  void anAccessLineIsTheParentsLineAndValidJson() {
    Map<String, String> mdc = new LinkedHashMap<>();
    String requestId = UUID.randomUUID().toString();
    mdc.put("requestId", requestId);
    mdc.put("tenantId", UUID.randomUUID().toString());
    LoggingEvent event = event(mdc, List.of(new KeyValuePair("method", "GET"),
      new KeyValuePair("path", "/api/v1/collections/notes/records/\"quoted\"\\back\tslash\u0001\u00e9"),
      new KeyValuePair("status", 200), new KeyValuePair("durationMs", 1.25), new KeyValuePair("userId", null)),
      "request");
    assertSameLine(event);

    JsonObject line = new JsonObject(encode(new LeanJsonEncoder(), LeanJsonEncoderTest::shipped, event));
    assertThat(line.getJsonObject("mdc").getString("requestId")).isEqualTo(requestId);
    assertThat(line.getJsonArray("kvpList").getJsonObject(1).getString("path"))
      .isEqualTo("/api/v1/collections/notes/records/\"quoted\"\\back\tslash\u0001\u00e9");
    assertThat(line.getJsonArray("kvpList").getJsonObject(4).getString("userId")).isEqualTo("null");
    assertThat(line.getString("formattedMessage")).isEqualTo("request");
  }

  @Test
  void withoutMdcOrPairsToo() {
    assertSameLine(event(Map.of(), null, "started"));
    assertSameLine(event(new LinkedHashMap<>(), List.of(), "started"));
  }

  @Property(tries = 300)
  void anyMdcAndPairsEncodeAsTheParentDoes(@ForAll("texts") String a, @ForAll("texts") String b,
                                           @ForAll("texts") String c) {
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put(a, b);
    mdc.put("k" + c, null);
    assertSameLine(event(mdc, List.of(new KeyValuePair(a, c), new KeyValuePair(b, null), new KeyValuePair(c, 42L)),
      b));
  }

  /** Every combination of the encoder's settings, and events with and without what the lean path leaves to Logback. */
  @Property(tries = 300)
  void anySettingsAndEventEncodeAsTheParentDoes(@ForAll boolean[] settings, @ForAll("texts") String text,
                                                @ForAll boolean throwable, @ForAll boolean marker,
                                                @ForAll boolean arguments) {
    boolean[] on = java.util.Arrays.copyOf(settings, 14);
    Consumer<JsonEncoder> configured = e -> {
      e.setWithSequenceNumber(on[0]);
      e.setWithTimestamp(on[1]);
      e.setWithNanoseconds(on[2]);
      e.setWithLevel(on[3]);
      e.setWithThreadName(on[4]);
      e.setWithLoggerName(on[5]);
      e.setWithContext(on[6]);
      e.setWithMarkers(on[7]);
      e.setWithMDC(on[8]);
      e.setWithKVPList(on[9]);
      e.setWithMessage(on[10]);
      e.setWithArguments(on[11]);
      e.setWithThrowable(on[12]);
      e.setWithFormattedMessage(on[13]);
    };
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put("requestId", text);
    LoggingEvent event = new LoggingEvent("fqcn", CONTEXT.getLogger("io.tenantry.access"), Level.WARN,
      "said {}", throwable ? new IllegalStateException(text) : null, arguments ? new Object[] {text} : null);
    event.setThreadName(text);
    event.setTimeStamp(1_764_566_400_123L);
    event.setSequenceNumber(7);
    event.setMDCPropertyMap(mdc);
    event.setKeyValuePairs(List.of(new KeyValuePair("path", text)));
    if (marker) {
      event.addMarker(org.slf4j.MarkerFactory.getMarker("AUDIT"));
    }
    String parent = encode(new JsonEncoder(), configured, event);
    LeanJsonEncoder lean = new LeanJsonEncoder();
    assertThat(encode(lean, configured, event)).isEqualTo(parent);
    StringBuilder appended = new StringBuilder("before|");
    lean.encodeTo(event, appended);
    // compared as the bytes written: an unpaired surrogate becomes '?' either way
    assertThat(new String(appended.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
      .isEqualTo("before|" + parent);
  }

  @Provide
  Arbitrary<String> texts() {
    // every character the escapes distinguish: controls, the quote, both slashes, Latin-1 and beyond
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
      Arbitraries.strings().withChars("\"/\\\b\f\n\r\t\u0000\u001f a\u00e9\u4e2d").ofMaxLength(40));
  }
}
