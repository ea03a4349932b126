package io.tenantry.metrics;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The labels of the HTTP series: Vert.x's route form, and methods a client cannot multiply. */
class HttpServerMetersTest {
  @Test
  void routesAreLabelledAsVertxWebWritesTheirPaths() {
    assertThat(HttpServerMeters.template("/api/v1/collections/{collection}/records/{id}"))
      .isEqualTo("/api/v1/collections/:collection/records/:id");
    assertThat(HttpServerMeters.template("/health/live")).isEqualTo("/health/live");
  }

  @Test
  void anUnknownMethodIsOtherSoItAddsNoSeries() {
    assertThat(HttpServerMeters.method(HttpMethod.GET)).isEqualTo("GET");
    assertThat(HttpServerMeters.method(HttpMethod.valueOf("PROPFIND"))).isEqualTo("OTHER");
    assertThat(HttpServerMeters.method(HttpMethod.valueOf("X-" + "a".repeat(40)))).isEqualTo("OTHER");
  }
}
