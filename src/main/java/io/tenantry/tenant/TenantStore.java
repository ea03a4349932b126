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

/** The one class that knows the SQL of platform.tenants. */
public final class TenantStore {
  private static final String COLUMNS = "id, slug, name, status, isolation, created_at";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM platform.tenants WHERE id = $1";
  private static final String BY_SLUG = "SELECT " + COLUMNS + " FROM platform.tenants WHERE slug = $1";
  private static final String INSERT = "INSERT INTO platform.tenants (id, slug, name) VALUES ($1, $2, $3) RETURNING " + COLUMNS;
  private static final String SET_STATUS =
    "UPDATE platform.tenants SET status = $2, updated_at = now() WHERE slug = $1 RETURNING " + COLUMNS;
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

  public Future<Tenant> create(UUID id, String slug, String name) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(id, slug, name))
      .map(rows -> Tenant.from(rows.iterator().next()))
      .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Future.failedFuture(Problem.conflict("a tenant with slug '" + slug + "' already exists"))
        : Future.failedFuture(e));
  }

  public Future<Optional<Tenant>> setStatus(String slug, Tenant.Status status) {
    return one(pool.preparedQuery(SET_STATUS).execute(Tuple.of(slug, status.sql())));
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
