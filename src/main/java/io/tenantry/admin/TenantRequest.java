package io.tenantry.admin;

import io.tenantry.http.Problem;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated tenant-creation request. The OpenAPI contract checks shapes; this checks what the contract cannot:
 * slugs that could pass for ids, a database target only for the database tier, and target names that would
 * collide with PostgreSQL's own databases.
 */
record TenantRequest(String slug, String name, Isolation isolation, DbTarget database, String template, String plan,
                     String adminEmail) {
  private static final Pattern UUID_LIKE =
    Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern DB_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
  private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1");

  static TenantRequest parse(JsonObject body, Isolation defaultIsolation) {
    String slug = body.getString("slug");
    if (slug == null || !Tenant.SLUG.matcher(slug).matches()) {
      throw Problem.badRequest("slug must match " + Tenant.SLUG.pattern());
    }
    if (UUID_LIKE.matcher(slug).matches()) {
      throw Problem.badRequest("a slug must not look like a tenant id (UUID)");
    }
    String name = body.getString("name", "").strip();
    if (name.isEmpty()) {
      throw Problem.badRequest("name must not be blank");
    }
    Isolation isolation = body.containsKey("isolation") ? Isolation.parse(body.getString("isolation")) : defaultIsolation;
    if (isolation == null) {
      throw Problem.badRequest("isolation must be shared, schema or database");
    }
    JsonObject target = body.getJsonObject("database");
    if (target != null && isolation != Isolation.DATABASE) {
      throw Problem.badRequest("database is only for \"isolation\": \"database\"");
    }
    String email = body.getString("admin_email");
    if (email != null && !EMAIL.matcher(email.strip()).matches()) {
      throw Problem.badRequest("admin_email is not an e-mail address");
    }
    return new TenantRequest(slug, name, isolation, target == null ? null : database(target), body.getString("template"),
      body.getString("plan"), email == null ? null : email.strip());
  }

  /**
   * The request with its template applied: the template's tier unless the request names one (a database target
   * needs the database tier either way).
   */
  TenantRequest withTemplateTier(Isolation templateTier, boolean tierRequested) {
    if (tierRequested || templateTier == null || templateTier == isolation) {
      return this;
    }
    if (database != null && templateTier != Isolation.DATABASE) {
      throw Problem.badRequest("database is only for \"isolation\": \"database\"; the template's tier is "
        + templateTier.sql());
    }
    return new TenantRequest(slug, name, templateTier, database, template, plan, adminEmail);
  }

  private static DbTarget database(JsonObject target) {
    String host = target.getString("host", "127.0.0.1");
    int port = target.getInteger("port", 5432);
    String name = target.getString("name");
    if (!HOST.matcher(host).matches()) {
      throw Problem.badRequest("database.host is not a host name or address");
    }
    if (port < 1 || port > 65535) {
      throw Problem.badRequest("database.port must be 1..65535");
    }
    if (name == null || !DB_NAME.matcher(name).matches() || RESERVED.contains(name)) {
      throw Problem.badRequest("database.name must match " + DB_NAME.pattern() + " and not be a system database");
    }
    return new DbTarget(host, port, name);
  }
}
