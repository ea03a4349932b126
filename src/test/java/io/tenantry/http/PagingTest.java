package io.tenantry.http;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PagingTest {

  @Test
  void cursorsAreOpaqueAndBoundToTheirScope() {
    UUID id = Uuids.v7();
    String cursor = Paging.cursor("records:notes", id);
    assertThat(cursor).doesNotContain(id.toString()).doesNotContain("=");
    assertThat(new String(java.util.Base64.getUrlDecoder().decode(cursor))).isEqualTo("records:notes|" + id);
  }

  @Test
  void aPageShowsUpToTheLimitAndACursorOnlyWhenMoreWasFetched() {
    java.util.List<UUID> ids = java.util.List.of(Uuids.v7(), Uuids.v7(), Uuids.v7());
    java.util.function.Function<UUID, io.vertx.core.json.JsonObject> json = id -> new io.vertx.core.json.JsonObject().put("id", id.toString());
    var more = Paging.page(ids, 2, "s", id -> id, json);
    assertThat(more.getJsonArray("items")).hasSize(2);
    assertThat(more.getString("next_cursor")).isEqualTo(Paging.cursor("s", ids.get(1)));
    var last = Paging.page(ids.subList(0, 2), 2, "s", id -> id, json);
    assertThat(last.getJsonArray("items")).hasSize(2);
    assertThat(last.getString("next_cursor")).isNull();
    assertThat(last.containsKey("next_cursor")).isTrue();
  }

  @Test
  void uuidV7IdsAreTimeOrderedAndVersion7() {
    UUID first = Uuids.v7();
    UUID second;
    do { // until a later millisecond, so the order is by time and not by the random bits
      second = Uuids.v7();
    } while (second.getMostSignificantBits() >>> 16 == first.getMostSignificantBits() >>> 16);
    assertThat(first.version()).isEqualTo(7);
    assertThat(first.variant()).isEqualTo(2);
    assertThat(first.toString().compareTo(second.toString())).isNegative();
  }
}
