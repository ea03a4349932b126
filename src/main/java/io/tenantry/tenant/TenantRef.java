package io.tenantry.tenant;

import java.util.UUID;

/** One way a request names a tenant: by id or by slug, and where it came from. */
public record TenantRef(Source source, UUID id, String slug) {
  public enum Source { TOKEN, HEADER, HOST, PATH }

  public static TenantRef ofId(Source source, UUID id) {
    return new TenantRef(source, id, null);
  }

  public static TenantRef ofSlug(Source source, String slug) {
    return new TenantRef(source, null, slug);
  }

  public boolean byId() {
    return id != null;
  }
}
