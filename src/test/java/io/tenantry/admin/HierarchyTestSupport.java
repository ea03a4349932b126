package io.tenantry.admin;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** Creating a tenant under a parent (null: top-level) through the admin API. */
public final class HierarchyTestSupport {
  private HierarchyTestSupport() {
  }

  public static HttpResponse<Buffer> child(TestServer ts, String token, String slug, String parent) {
    return ts.api.post("/admin/v1/tenants", token,
      new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("parent", parent));
  }
}
