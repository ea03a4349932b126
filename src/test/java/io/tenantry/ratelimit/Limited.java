package io.tenantry.ratelimit;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers for the rate-limit integration tests. */
final class Limited {
  static final String NOTES = "/api/v1/collections/notes/records";

  private Limited() {
  }

  /** PUT /admin/v1/tenants/{slug}/limits; fails the test unless 200. */
  static JsonObject setLimits(TestServer ts, String admin, String slug, JsonObject body) {
    HttpResponse<Buffer> r = ts.api.send(ts.api.request(io.vertx.core.http.HttpMethod.PUT,
      "/admin/v1/tenants/" + slug + "/limits", admin), body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  static JsonObject limits(int rate, int burst) {
    return new JsonObject().put("rate", rate).put("burst", burst);
  }

  static int header(HttpResponse<Buffer> r, String name) {
    String value = r.getHeader(name);
    assertThat(value).as("%s on a %d", name, r.statusCode()).isNotNull();
    return Integer.parseInt(value);
  }
}
