package io.tenantry.tenant;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of the organization hierarchy in platform.tenants: {@code parent_id} and {@code path} (ancestor ids, root
 * first). Inserting a child and moving a subtree both take one transaction-scoped advisory lock, so two of them never
 * interleave (two crossing moves could otherwise build a cycle, and a child inserted during its parent's move could
 * keep a stale path).
 */
public final class TenantTree {
  private static final String COLUMNS = Tenant.COLUMNS;
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('tenantry.hierarchy'))";
  private static final String PATH_OF = "SELECT id, path FROM platform.tenants WHERE id = $1 FOR UPDATE";
  private static final String INSERT_CHILD = "INSERT INTO platform.tenants "
    + "(id, slug, name, status, isolation, db_host, db_port, db_name, parent_id, path) "
    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING " + COLUMNS;
  /** How many levels the subtree under $1 has below $1 itself (0 for a leaf). */
  private static final String HEIGHT = "SELECT coalesce(max(cardinality(path)) - $2, 0) AS height "
    + "FROM platform.tenants WHERE path @> ARRAY[$1]::uuid[]";
  /** Replaces the first $3 elements of each descendant's path (the moved tenant's old ancestors) with $2. */
  private static final String MOVE_DESCENDANTS = "UPDATE platform.tenants SET path = $2 || path[$3 + 1:cardinality(path)], "
    + "updated_at = now() WHERE path @> ARRAY[$1]::uuid[] RETURNING id";
  private static final String MOVE = "UPDATE platform.tenants SET parent_id = $2, path = $3, updated_at = now() "
    + "WHERE id = $1 RETURNING " + COLUMNS;
  private static final String CHILDREN_FIRST =
    "SELECT " + COLUMNS + " FROM platform.tenants WHERE parent_id = $1 ORDER BY id LIMIT $2";
  private static final String CHILDREN_AFTER =
    "SELECT " + COLUMNS + " FROM platform.tenants WHERE parent_id = $1 AND id > $2 ORDER BY id LIMIT $3";
  private static final String DESCENDANTS_FIRST =
    "SELECT " + COLUMNS + " FROM platform.tenants WHERE path @> ARRAY[$1]::uuid[] ORDER BY id LIMIT $2";
  private static final String DESCENDANTS_AFTER =
    "SELECT " + COLUMNS + " FROM platform.tenants WHERE path @> ARRAY[$1]::uuid[] AND id > $2 ORDER BY id LIMIT $3";
  private static final String BY_IDS = "SELECT " + COLUMNS + " FROM platform.tenants WHERE id = ANY($1)";
  private static final String HAS_CHILDREN = "SELECT EXISTS (SELECT 1 FROM platform.tenants WHERE parent_id = $1) AS yes";

  /** A move's outcome: the moved tenant and the ids of its descendants, whose cached paths are now stale. */
  public record Moved(Tenant tenant, List<UUID> descendants) {
  }

  private final Pool pool;
  private final int maxDepth;

  public TenantTree(Pool pool, int maxDepth) {
    this.pool = pool;
    this.maxDepth = maxDepth;
  }

  public int maxDepth() {
    return maxDepth;
  }

  /** Inserts a tenant under {@code parentId}: 404 if the parent is gone, 409 past {@code tenancy.max-depth}. */
  public TenantInsert under(UUID parentId) {
    return (id, slug, name, isolation, database) -> pool.withTransaction(tx -> tx.query(LOCK).execute()
      .compose(v -> pathOf(tx, parentId))
      .compose(parentPath -> {
        if (parentPath.size() + 2 > maxDepth) {
          return Future.failedFuture(tooDeep("the new tenant would be at level " + (parentPath.size() + 2)));
        }
        List<UUID> path = new ArrayList<>(parentPath);
        path.add(parentId);
        Tenant.Status status = Tenant.Status.PROVISIONING; // until its provisioning steps are done
        Tuple row = Tuple.of(id, slug, name, status.sql(), isolation.sql())
          .addValue(database == null ? null : database.host())
          .addValue(database == null ? null : database.port())
          .addValue(database == null ? null : database.database())
          .addValue(parentId)
          .addArrayOfUUID(path.toArray(UUID[]::new));
        return tx.preparedQuery(INSERT_CHILD).execute(row).map(rows -> Tenant.from(rows.iterator().next()));
      }))
      .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Future.failedFuture(Problem.conflict("a tenant with slug '" + slug + "' already exists"))
        : Future.failedFuture(e));
  }

  /**
   * Moves {@code tenantId} (and its subtree) under {@code parentId}, or to the top with null. Refused (409) when the
   * new parent is the tenant itself or one of its descendants, or when the subtree's deepest tenant would end up
   * deeper than {@code tenancy.max-depth}.
   */
  public Future<Moved> move(UUID tenantId, UUID parentId) {
    return pool.withTransaction(tx -> tx.query(LOCK).execute()
      .compose(v -> pathOf(tx, tenantId))
      .compose(oldPath -> (parentId == null ? Future.succeededFuture(List.<UUID>of()) : pathOf(tx, parentId))
        .compose(parentPath -> {
          if (tenantId.equals(parentId) || parentPath.contains(tenantId)) {
            return Future.failedFuture(Problem.of(409, "hierarchy-cycle", "Hierarchy cycle",
              "a tenant cannot be moved under itself or one of its own descendants"));
          }
          List<UUID> newPath = new ArrayList<>(parentPath);
          if (parentId != null) {
            newPath.add(parentId);
          }
          return tx.preparedQuery(HEIGHT).execute(Tuple.of(tenantId, oldPath.size()))
            .compose(rows -> {
              int deepest = newPath.size() + 1 + rows.iterator().next().getInteger("height");
              if (deepest > maxDepth) {
                return Future.failedFuture(tooDeep("after the move its subtree would reach level " + deepest));
              }
              List<UUID> prefix = new ArrayList<>(newPath);
              prefix.add(tenantId);
              return tx.preparedQuery(MOVE_DESCENDANTS)
                .execute(Tuple.of(tenantId, prefix.toArray(UUID[]::new), oldPath.size() + 1))
                .map(TenantTree::ids)
                .compose(descendants -> tx.preparedQuery(MOVE)
                  .execute(Tuple.of(tenantId, parentId, newPath.toArray(UUID[]::new)))
                  .map(moved -> new Moved(Tenant.from(moved.iterator().next()), descendants)));
            });
        })));
  }

  public Future<List<Tenant>> children(UUID parentId, UUID after, int limit) {
    return list(after == null
      ? pool.preparedQuery(CHILDREN_FIRST).execute(Tuple.of(parentId, limit))
      : pool.preparedQuery(CHILDREN_AFTER).execute(Tuple.of(parentId, after, limit)));
  }

  /** Every tenant below {@code ancestorId}, at any depth, in id order: one GIN index scan on path. */
  public Future<List<Tenant>> descendants(UUID ancestorId, UUID after, int limit) {
    return list(after == null
      ? pool.preparedQuery(DESCENDANTS_FIRST).execute(Tuple.of(ancestorId, limit))
      : pool.preparedQuery(DESCENDANTS_AFTER).execute(Tuple.of(ancestorId, after, limit)));
  }

  /** The tenants with these ids, in the order given (ids no longer present are skipped). */
  public Future<List<Tenant>> inOrder(List<UUID> ids) {
    return list(pool.preparedQuery(BY_IDS).execute(Tuple.of(ids.toArray(UUID[]::new)))).map(found -> {
      List<Tenant> ordered = new ArrayList<>(found);
      ordered.sort(Comparator.comparingInt(t -> ids.indexOf(t.id())));
      return ordered;
    });
  }

  public Future<Boolean> hasChildren(UUID tenantId) {
    return pool.preparedQuery(HAS_CHILDREN).execute(Tuple.of(tenantId)).map(rows -> rows.iterator().next().getBoolean("yes"));
  }

  private Problem tooDeep(String why) {
    return Problem.of(409, "hierarchy-too-deep", "Hierarchy too deep",
      why + "; tenancy.max-depth allows at most " + maxDepth + " levels (a root tenant is level 1)");
  }

  private static Future<List<UUID>> pathOf(SqlConnection tx, UUID id) {
    return tx.preparedQuery(PATH_OF).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
      ? Future.failedFuture(Problem.notFound("unknown tenant"))
      : Future.succeededFuture(List.of(rows.iterator().next().getArrayOfUUIDs("path"))));
  }

  private static List<UUID> ids(RowSet<Row> rows) {
    List<UUID> ids = new ArrayList<>(rows.size());
    rows.forEach(row -> ids.add(row.getUUID("id")));
    return ids;
  }

  private static Future<List<Tenant>> list(Future<RowSet<Row>> rows) {
    return rows.map(set -> {
      List<Tenant> tenants = new ArrayList<>(set.size());
      set.forEach(row -> tenants.add(Tenant.from(row)));
      return tenants;
    });
  }
}
