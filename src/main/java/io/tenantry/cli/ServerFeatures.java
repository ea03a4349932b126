package io.tenantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.Iterator;

/**
 * What the server's own API document (GET /openapi.yaml) says it accepts, for the parts of a tenants file that
 * only some servers support: {@code template} on tenant creation, renaming a tenant, invitations as a resource.
 */
record ServerFeatures(boolean templates, String renameContentType, boolean invitations) {
  static ServerFeatures of(AdminClient client) {
    String document = client.getPublic("/openapi.yaml");
    if (document == null) {
      return new ServerFeatures(false, null, false);
    }
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(document);
      boolean templates = root.path("components").path("schemas").path("TenantCreate").path("properties")
        .has("template");
      JsonNode patch = root.path("paths").path("/admin/v1/tenants/{slug}").path("patch");
      String contentType = null;
      if (!patch.isMissingNode()) {
        Iterator<String> types = patch.path("requestBody").path("content").fieldNames();
        contentType = types.hasNext() ? types.next() : "application/json";
      }
      boolean invitations = root.path("paths").path("/admin/v1/tenants/{slug}/invitations").has("post");
      return new ServerFeatures(templates, contentType, invitations);
    } catch (Exception e) {
      return new ServerFeatures(false, null, false);
    }
  }

  boolean rename() {
    return renameContentType != null;
  }
}
