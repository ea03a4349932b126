package io.tenantry.records;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of RFC 7396, Appendix A (those whose target and patch are objects). */
class MergePatchTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"a\":\"b\"}|{\"a\":\"c\"}|{\"a\":\"c\"}",
    "{\"a\":\"b\"}|{\"b\":\"c\"}|{\"a\":\"b\",\"b\":\"c\"}",
    "{\"a\":\"b\"}|{\"a\":null}|{}",
    "{\"a\":\"b\",\"b\":\"c\"}|{\"a\":null}|{\"b\":\"c\"}",
    "{\"a\":[\"b\"]}|{\"a\":\"c\"}|{\"a\":\"c\"}",
    "{\"a\":\"c\"}|{\"a\":[\"b\"]}|{\"a\":[\"b\"]}",
    "{\"a\":{\"b\":\"c\"}}|{\"a\":{\"b\":\"d\",\"c\":null}}|{\"a\":{\"b\":\"d\"}}",
    "{\"a\":[{\"b\":\"c\"}]}|{\"a\":[1]}|{\"a\":[1]}",
    "{\"e\":null}|{\"a\":1}|{\"e\":null,\"a\":1}",
    "{}|{\"a\":{\"bb\":{\"ccc\":null}}}|{\"a\":{\"bb\":{}}}",
  })
  void rfc7396Examples(String target, String patch, String expected) {
    assertThat(MergePatch.apply(new JsonObject(target), new JsonObject(patch))).isEqualTo(new JsonObject(expected));
  }

  @Test
  void neitherArgumentIsChanged() {
    JsonObject target = new JsonObject().put("a", new JsonObject().put("b", 1));
    JsonObject patch = new JsonObject().put("a", new JsonObject().put("c", new JsonArray().add(1)));
    MergePatch.apply(target, patch).getJsonObject("a").getJsonArray("c").add(2);
    assertThat(target).isEqualTo(new JsonObject().put("a", new JsonObject().put("b", 1)));
    assertThat(patch.getJsonObject("a").getJsonArray("c")).containsExactly(1);
  }
}
