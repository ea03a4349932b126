package io.tenantry.http;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StrictJsonTest {
  private static final int DEPTH = 64;

  private static Buffer utf8(String json) {
    return Buffer.buffer(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Buffer bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return Buffer.buffer(b);
  }

  /** {"s":"<bytes>"} with raw bytes inside the string. */
  private static Buffer stringWithBytes(int... raw) {
    return Buffer.buffer("{\"s\":\"").appendBuffer(bytes(raw)).appendString("\"}");
  }

  private static String refused(Buffer body) {
    Problem p = catchThrowableOfType(Problem.class, () -> StrictJson.check(body, DEPTH));
    assertThat(p).as("refused").isNotNull();
    assertThat(p.status()).isEqualTo(400);
    return p.detail();
  }

  private static String refused(String json) {
    return refused(utf8(json));
  }

  private static void accepted(String json) {
    assertThatCode(() -> StrictJson.check(utf8(json), DEPTH)).as(json).doesNotThrowAnyException();
  }

  private static String nested(int depth) {
    return "[".repeat(depth - 1) + "{\"a\":1}" + "]".repeat(depth - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{}", "[]", "{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":\"text\"}", "\"just a string\"", "42", "null",
    "{\"big\":123456789012345678901234567890123456789}", "{\"max\":1.7976931348623157e308}", "{\"min\":4.9e-324}",
    "{\"zero\":0.0e-999}", "{\"neg\":-0.0}", "{\"pair\":\"\\ud83d\\ude00\"}", "{\"\\ud83d\\ude00\":1}",
    "{\"raw\":\"é 😀 中\"}", "  {\"ws\" : [ 1 , 2 ] }\n", "{\"a\":{\"a\":1},\"b\":{\"a\":2}}"})
  void acceptsJsonThatRoundTrips(String json) {
    accepted(json);
  }

  @Test
  void nestingUpToTheLimitIsAcceptedOneMoreIsRefusedNamingTheLimit() {
    assertThatCode(() -> StrictJson.check(utf8(nested(DEPTH)), DEPTH)).doesNotThrowAnyException();
    assertThat(refused(nested(DEPTH + 1))).contains("nested deeper than 64 levels");
    assertThat(refused(nested(1000))).contains("64");
    assertThat(catchThrowableOfType(Problem.class, () -> StrictJson.check(utf8(nested(4)), 3)).detail())
      .contains("deeper than 3 levels");
  }

  @Test
  void numbersBeyondTheRangeOfADoubleAreRefused() {
    assertThat(refused("{\"n\":1e400}")).contains("1e400").contains("beyond the range of a double");
    assertThat(refused("{\"n\":-1e400}")).contains("beyond the range");
    assertThat(refused("{\"n\":1.8e308}")).contains("beyond the range");
    assertThat(refused("{\"n\":1e-400}")).contains("too small for a double");
    assertThat(refused("[2.5E-999]")).contains("too small");
  }

  @Test
  void numberLiteralsLongerThanTheLimitAreRefused() {
    assertThat(refused("{\"n\":" + "9".repeat(1001) + "}")).contains("longer than 1000 characters");
    assertThat(refused("{\"n\":1." + "5".repeat(1001) + "}")).isEqualTo("a number longer than 1000 characters is not allowed");
    assertThat(refused("{\"" + "k".repeat(50_001) + "\":1}")).isEqualTo("a key longer than 50000 characters is not allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"s\":\"\\ud800\"}", "{\"s\":\"a\\udc00b\"}", "{\"s\":\"\\udc00\\ud800\"}",
    "{\"s\":\"x\\ud83d\"}", "{\"\\ud800\":1}"})
  void loneSurrogateEscapesAreRefused(String json) {
    assertThat(refused(json)).contains("unpaired surrogate").contains("pair");
  }

  @Test
  void invalidUtf8IsRefusedNotRepaired() {
    assertThat(refused(stringWithBytes(0xC0, 0xAF))).contains("not valid UTF-8").contains("overlong").contains("byte 6");
    assertThat(refused(stringWithBytes(0xE0, 0x80, 0xAF))).contains("not valid UTF-8");
    assertThat(refused(stringWithBytes(0xED, 0xA0, 0x80))).contains("not valid UTF-8").contains("surrogates");
    assertThat(refused(stringWithBytes(0xE2, 0x82))).contains("not valid UTF-8");
    assertThat(refused(stringWithBytes(0xFF))).contains("not valid UTF-8");
    assertThat(refused(Buffer.buffer("{\"s\":\"").appendBuffer(bytes(0xF0, 0x9F, 0x98)))).contains("not valid UTF-8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1 /* note */}", "// lead\n{\"a\":1}", "{\"a\":1} # hash", "[1,/**/2]"})
  void commentsAreRefused(String json) {
    assertThat(refused(json)).satisfiesAnyOf(
      d -> assertThat(d).contains("comments are not allowed"),
      d -> assertThat(d).contains("not valid JSON"));
  }

  @Test
  void slashCommentsSayComments() {
    assertThat(refused("{\"a\":1 /* note */}")).contains("comments are not allowed").contains("line 1");
  }

  @Test
  void duplicateKeysAreRefusedNamingTheKey() {
    assertThat(refused("{\"a\":1,\"a\":2}")).contains("appears twice").contains("a");
    assertThat(refused("{\"x\":{\"dup\":1,\"dup\":1}}")).contains("appears twice").contains("dup");
  }

  /** U+0000 is well-formed JSON; PostgreSQL refuses to store it (a 400 through PgErrors, on the write's own transaction). */
  @Test
  void nulCharactersAreLeftToPostgreSQL() {
    accepted("{\"s\":\"a\\u0000b\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{'a':1}", "{a:1}", "{\"a\":NaN}", "{\"a\":Infinity}", "[1,2,]", "{\"a\":1,}", "{\"a\":01}",
    "{\"a\":1}x", "{\"a\":1", "{\"s\":\"tab\there\"}"})
  void nonStandardJsonIsRefused(String json) {
    assertThat(refused(json)).contains("not valid JSON");
  }

  @Test
  void exactlyOneValueAndNotNothing() {
    assertThat(refused("{} {}")).contains("exactly one JSON value");
    assertThat(refused("1 2")).contains("exactly one JSON value");
    assertThat(refused("   ")).contains("empty");
  }

  @Test
  void jsonMediaTypes() {
    assertThat(StrictJson.isJson("application/json")).isTrue();
    assertThat(StrictJson.isJson("Application/JSON; charset=utf-8")).isTrue();
    assertThat(StrictJson.isJson("application/merge-patch+json")).isTrue();
    assertThat(StrictJson.isJson(null)).isTrue();
    assertThat(StrictJson.isJson("text/plain")).isFalse();
    assertThat(StrictJson.isJson("application/octet-stream")).isFalse();
    assertThat(StrictJson.isJson("multipart/form-data; boundary=x")).isFalse();
  }
}
