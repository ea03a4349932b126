package io.tenantry.tenant;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A tenant as the platform schema holds it. Immutable; a change produces a new instance.
 *
 * @param database where a database-tier tenant's data lives; null for the other tiers
 * @param createdAt an instant, not the row's offset date-time: 24 bytes held per cached tenant instead of 96
 * @param schemaVersion the highest tenant migration applied to its schema or database (0 for shared)
 * @param statementTimeoutMs its own statement timeout, null for {@code db.statement-timeout-ms}
 * @param collectionSchemas bumped by every change of its collection schemas; 0 when it never declared one
 * @param parentSlug its parent's slug in the organization hierarchy, null for a root (docs/tenants.md)
 * @param path the ids of its ancestors, root first (empty for a root): cached with the tenant, it answers
 *             "is the caller an admin of an ancestor?" without SQL
 */
public record Tenant(UUID id, String slug, String name, Status status, Isolation isolation, DbTarget database,
                     int schemaVersion, String migrationError, Instant createdAt, Integer statementTimeoutMs,
                     long collectionSchemas, String parentSlug, List<UUID> path) {
  public static final Pattern SLUG = Pattern.compile("[a-z0-9-]{3,63}");
  private static final String KEY = "tenant";

  /** A root tenant (no parent). */
  public Tenant(UUID id, String slug, String name, Status status, Isolation isolation, DbTarget database,
                int schemaVersion, String migrationError, Instant createdAt, Integer statementTimeoutMs) {
    this(id, slug, name, status, isolation, database, schemaVersion, migrationError, createdAt, statementTimeoutMs,
      0, null, List.of());
  }

  public enum Status {
    PROVISIONING, ACTIVE, SUSPENDED, ARCHIVED, DELETED;

    public String sql() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The columns {@link #from(Row)} reads. */
  public static final String COLUMNS =
    "id, slug, name, status, isolation, db_host, db_port, db_name, schema_version, migration_error, created_at, "
    + "statement_timeout_ms, collection_schemas, path, "
    + "(SELECT parent.slug FROM platform.tenants parent WHERE parent.id = tenants.parent_id) AS parent_slug";

  static Tenant from(Row row) {
    String dbHost = row.getString("db_host");
    DbTarget database = dbHost == null ? null
      : new DbTarget(dbHost, row.getInteger("db_port"), row.getString("db_name"));
    return new Tenant(row.getUUID("id"), row.getString("slug"), row.getString("name"),
      Status.valueOf(row.getString("status").toUpperCase(Locale.ROOT)),
      Isolation.parse(row.getString("isolation")), database,
      row.getInteger("schema_version"), row.getString("migration_error"),
      row.getOffsetDateTime("created_at").toInstant(),
      row.getInteger("statement_timeout_ms"), row.getLong("collection_schemas"), row.getString("parent_slug"), List.copyOf(Arrays.asList(row.getArrayOfUUIDs("path"))));
  }

  /** Whether {@code tenantId} is a strict ancestor of this tenant. */
  public boolean below(UUID tenantId) {
    return tenantId != null && path.contains(tenantId);
  }

  /** Level in the hierarchy: 1 for a root. */
  public int depth() {
    return path.size() + 1;
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }

  /** The schema holding this tenant's records table. */
  public String schema() {
    return switch (isolation) {
      case SHARED -> "shared";
      case SCHEMA -> TenantNames.schema(id);
      case DATABASE -> TenantNames.DATABASE_TIER_SCHEMA;
    };
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id.toString())
      .put("slug", slug)
      .put("name", name)
      .put("status", status.sql())
      .put("isolation", isolation.sql())
      .put("schema_version", schemaVersion)
      .put("created_at", createdAt.toString())
      .put("parent", parentSlug);
    if (database != null) {
      json.put("database", new JsonObject()
        .put("host", database.host()).put("port", database.port()).put("name", database.database()));
    }
    if (statementTimeoutMs != null) {
      json.put("statement_timeout_ms", statementTimeoutMs);
    }
    if (migrationError != null) {
      json.put("migration_error", migrationError);
    }
    return json;
  }

  public void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The tenant a request was resolved to (set by {@link TenantResolution}). */
  public static Tenant of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
