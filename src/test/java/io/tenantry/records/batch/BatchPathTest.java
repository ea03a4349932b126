package io.tenantry.records.batch;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPathTest {
  /** The shape the guard refuses, as the contract's routing would otherwise take it. */
  private static final Pattern SHAPE = Pattern.compile(".*/collections/[^/]+/records[^/]+");

  @Test
  void recordsLikePathsAreThoseOfTheShape() {
    List<String> paths = List.of("/api/v1/collections/notes/records", "/api/v1/collections/notes/records:batch",
      "/api/v1/collections/notes/records:other", "/api/v1/collections/notes/recordsX", "/api/v1/collections/notes/records/",
      "/api/v1/collections/notes/records/abc", "/api/v1/collections//recordsX", "/collections/x/recordsY", "/recordsY",
      "records:x", "/api/v1/collection/notes/recordsX", "/t/acme/api/v1/collections/a/records:batchy", "/", "",
      "/api/v1/xcollections/notes/recordsX", "/api/v1/collections/notes/x/recordsX");
    for (String path : paths) {
      assertThat(BatchPath.recordsLike(path)).as(path).isEqualTo(SHAPE.matcher(path).matches());
    }
    assertThat(BatchPath.recordsLike("/api/v1/collections/notes/records:other")).isTrue();
    assertThat(BatchPath.recordsLike("/api/v1/collections/notes/records")).isFalse();
  }
}
