package io.tenantry.metering;

import io.vertx.core.http.HttpMethod;

/**
 * The one place that says which request meter a request counts on: the control plane (/admin/) and the data plane's
 * administrative reads (a tenant's own usage) are admin, else a method that changes nothing (GET, HEAD, OPTIONS) is a
 * read and any other a write.
 */
public final class RequestClass {
  private static final String USAGE = "/api/v1/usage";

  private RequestClass() {
  }

  public static Meter of(HttpMethod method, String path) {
    if (path.startsWith("/admin/") || path.equals(USAGE)) {
      return Meter.REQUESTS_ADMIN;
    }
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
      ? Meter.REQUESTS_READ : Meter.REQUESTS_WRITE;
  }
}
