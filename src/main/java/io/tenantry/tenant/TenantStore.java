package io.tenantry.tenant;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The one class that knows the SQL of platform.tenants (at run time; the migrate command reads it by JDBC). */
public final class TenantStore {
  private static final String COLUMNS = Tenant.COLUMNS;
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM platform.tenants WHERE id = $1";
  private static final String BY_SLUG = "SELECT " + COLUMNS + " FROM platform.tenants WHERE slug = $1";
  private static final String INSERT = "INSERT INTO platform.tenants (id, slug, name, status, isolation, db_host, db_port, db_name) "
    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + COLUMNS;
  private static final String SET_STATUS = "UPDATE platform.tenants SET status = $2, updated_at = now() "
    + "WHERE slug = $1 AND status IN ('active', 'suspended') RETURNING " + COLUMNS;
  private static final String PROVISIONED = "UPDATE platform.tenants SET status = 'active', schema_version = $2, "
    + "migrated_at = now(), migration_error = NULL, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS;
  private static final String SET_STATEMENT_TIMEOUT = "UPDATE platform.tenants SET statement_timeout_ms = $2, "
    + "updated_at = now() WHERE slug = $1 RETURNING " + COLUMNS;
  private static final String RENAME = "UPDATE platform.tenants SET name = $2, updated_at = now() WHERE id = $1 "
    + "RETURNING " + COLUMNS;
  private static final String PLAN = "SELECT plan FROM platform.tenants WHERE id = $1";
  private static final String DELETE = "DELETE FROM platform.tenants WHERE id = $1";
  private static final String LIST_FIRST = "SELECT " + COLUMNS + " FROM platform.tenants ORDER BY id LIMIT $1";
  private static final String LIST_AFTER =
    "SELECT " + COLUMNS + " FROM platform.tenants WHERE id > $1 ORDER BY id LIMIT $2";

  private final Pool pool;

  public TenantStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Tenant>> byId(UUID id) {
    return one(pool.preparedQuery(BY_ID).execute(Tuple.of(id)));
  }

  public Future<Optional<Tenant>> bySlug(String slug) {
    return one(pool.preparedQuery(BY_SLUG).execute(Tuple.of(slug)));
  }

  /** Inserts a tenant, 'provisioning' until every provisioning step is done (docs/tenants.md#provisioning). */
  public Future<Tenant> create(UUID id, String slug, String name, Isolation isolation, DbTarget database) {
    Tenant.Status status = Tenant.Status.PROVISIONING;
    Tuple row = Tuple.of(id, slug, name, status.sql(), isolation.sql())
      .addValue(database == null ? null : database.host())
      .addValue(database == null ? null : database.port())
      .addValue(database == null ? null : database.database());
    return pool.preparedQuery(INSERT).execute(row)
      .map(rows -> Tenant.from(rows.iterator().next()))
      .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Future.failedFuture(Problem.conflict("a tenant with slug '" + slug + "' already exists"))
        : Future.failedFuture(e));
  }

  public Future<Tenant> provisioned(UUID id, int schemaVersion) {
    return pool.preparedQuery(PROVISIONED).execute(Tuple.of(id, schemaVersion)).map(rows -> Tenant.from(rows.iterator().next()));
  }

  /** Suspends or resumes; a tenant still being provisioned is left alone (empty result). */
  public Future<Optional<Tenant>> setStatus(String slug, Tenant.Status status) {
    return one(pool.preparedQuery(SET_STATUS).execute(Tuple.of(slug, status.sql())));
  }

  /** Sets or (null) clears a tenant's own statement timeout; empty for an unknown slug. */
  public Future<Optional<Tenant>> setStatementTimeout(String slug, Integer millis) {
    return one(pool.preparedQuery(SET_STATEMENT_TIMEOUT).execute(Tuple.of(slug, millis)));
  }

  /** Gives the tenant another display name; empty when it no longer exists. */
  public Future<Optional<Tenant>> rename(UUID id, String name) {
    return one(pool.preparedQuery(RENAME).execute(Tuple.of(id, name)));
  }

  /** The tenant's rate-limit plan; empty when it no longer exists. */
  public Future<Optional<String>> plan(UUID id) {
    return pool.preparedQuery(PLAN).execute(Tuple.of(id))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
  }

  /** Deletes the row; shared-tier records go with it (ON DELETE CASCADE). */
  public Future<Void> delete(UUID id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).mapEmpty();
  }

  /** Up to {@code limit} tenants after {@code after} (null: from the start), in id (creation) order. */
  public Future<List<Tenant>> list(UUID after, int limit) {
    Future<RowSet<Row>> rows = after == null
      ? pool.preparedQuery(LIST_FIRST).execute(Tuple.of(limit))
      : pool.preparedQuery(LIST_AFTER).execute(Tuple.of(after, limit));
    return rows.map(set -> {
      List<Tenant> tenants = new ArrayList<>(set.size());
      set.forEach(row -> tenants.add(Tenant.from(row)));
      return tenants;
    });
  }

  private static Future<Optional<Tenant>> one(Future<RowSet<Row>> rows) {
    return rows.map(set -> set.size() == 0 ? Optional.empty() : Optional.of(Tenant.from(set.iterator().next())));
  }
}
