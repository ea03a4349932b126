package io.tenantry.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What counts as "no change" between a file's value and the server's. */
class JsonTest {
  @Test
  void numbersCompareByValueAndEverythingElseByContent() {
    assertThat(Json.same(5, 5.0)).isTrue();
    assertThat(Json.same(5, 6L)).isFalse();
    assertThat(Json.same("5", 5)).isFalse();
    assertThat(Json.same(new JsonObject().put("a", 1).put("b", new JsonArray().add(2)),
      new JsonObject().put("b", new JsonArray().add(2.0)).put("a", 1L))).isTrue();
    assertThat(Json.same(new JsonObject().put("a", 1), new JsonObject().put("a", 1).put("b", null))).isFalse();
    assertThat(Json.same(new JsonArray().add(1).add(2), new JsonArray().add(2).add(1))).isFalse();
    assertThat(Json.same(true, true)).isTrue();
    assertThat(Json.same(null, false)).isFalse();
  }
}
