package io.tenantry.tenant;

import io.tenantry.pool.TenantPools;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;
import java.util.function.Function;

/**
 * The only way handlers reach tenant data. Gets a connection from the tenant's pool ({@link TenantPools}), makes
 * sure the connection carries the tenant's context ({@code app.tenant_id}, which row-level security reads) and
 * runs the work on it.
 *
 * <p>Where the context lives is {@link ContextMode}: by default ({@code SESSION}) it is bound to the physical
 * connection and re-set only when the connection serves another tenant than the one it served last — a context
 * statement written together with the work's, none at all when the connection already holds the tenant. The guard
 * that makes this safe: every tenant statement also names {@code tenant_id = $1} (RecordSql), so a context that
 * is somehow stale yields nothing — RLS for one tenant AND the key of another — and rejects every write (the
 * policy's WITH CHECK); a fresh connection has no context and sees nothing. {@code TRANSACTION} sets the context
 * transaction-locally around every unit (BEGIN; SET LOCAL ... COMMIT) so that no context ever outlives a unit —
 * for deployments behind a transaction-pooling proxy (PgBouncer), where the connection the server holds is not
 * the backend that runs the next statement. It costs two extra protocol messages per unit (docs/benchmarks.md).
 */
public final class TenantDb {
  /** Where the tenant context lives; {@code db.tenant-context}. */
  public enum ContextMode { SESSION, TRANSACTION }

  static final String SET_CONTEXT = "SELECT set_config('app.tenant_id', $1, true)";
  static final String COMMIT = "COMMIT";
  private static final Future<Void> ALREADY_BOUND = Future.succeededFuture();
  /** Far above any connection budget; see {@link BoundContexts}. */
  private static final int TRACKED_CONNECTIONS = 100_000;

  private final TenantPools pools;
  private final ContextMode mode;
  private final BoundContexts bound = new BoundContexts(TRACKED_CONNECTIONS);

  public TenantDb(TenantPools pools, ContextMode mode) {
    this.pools = pools;
    this.mode = mode;
  }

  /**
   * Work whose statements each commit on their own (a single read or insert, say) and are all issued before the
   * work returns (no statement waits for another's result). The context statement when one is needed (SESSION
   * mode) or BEGIN with the context and COMMIT (TRANSACTION mode) and the work's statements are written to the
   * connection together, in one write ({@link OneWrite}), and answered in one round trip. A statement created
   * after the work returned is refused.
   */
  public <T> Future<T> autocommit(Tenant tenant, Function<SqlClient, Future<T>> work) {
    return pools.withConnection(tenant, conn -> OneWrite.run(conn, client -> mode == ContextMode.SESSION
      ? sessionUnit(conn, client, tenant.id(), work)
      : transactionUnit(client, tenant.id(), work)));
  }

  private <T> Future<T> sessionUnit(SqlConnection conn, SqlClient client, UUID tenantId,
                                    Function<SqlClient, Future<T>> work) {
    Future<?> context = bind(conn, client, tenantId);
    Future<T> result = run(work, client);
    return settle(conn, tenantId, context, result);
  }

  /** Work that needs one transaction (read, check, write): rolled back if any of it fails. */
  public <T> Future<T> withTenant(Tenant tenant, Function<SqlConnection, Future<T>> work) {
    return pools.withConnection(tenant, conn -> {
      Future<?> context = mode == ContextMode.SESSION ? bind(conn, conn, tenant.id()) : ALREADY_BOUND;
      Future<Transaction> begin = conn.begin();
      Future<?> local = mode == ContextMode.TRANSACTION
        ? conn.preparedQuery(SET_CONTEXT).execute(Tuple.of(tenant.id().toString()))
        : ALREADY_BOUND;
      Future<T> result = run(work, conn);
      Future<T> unit = Future.join(context, begin, local, result)
        .compose(
          done -> begin.result().commit().map(v -> result.result()),
          failed -> rollback(begin).compose(v -> Future.<T>failedFuture(firstCause(result, context, local, begin))));
      return mode == ContextMode.SESSION ? settle(conn, tenant.id(), context, unit) : unit;
    });
  }

  /**
   * The session context for this tenant, unless the connection already holds it. The context statement is
   * written before the work's statements (same connection, in order), so they run under it. A simple-protocol
   * {@code SET} (a utility statement: nothing to plan, no rows to describe) costs both sides less than a prepared
   * {@code SELECT set_config(...)}; the id is inlined, which is safe because it is a {@link UUID}'s own text,
   * never client input.
   */
  private Future<?> bind(SqlConnection conn, SqlClient client, UUID tenantId) {
    if (bound.holds(conn, tenantId)) {
      return ALREADY_BOUND;
    }
    bound.forget(conn);
    return client.query(setSessionContext(tenantId)).execute();
  }

  /**
   * The work's result, unless the context statement failed (then the result may be an empty "not found"). The
   * connection answers in order, so the context statement has its answer by the time the work's last statement
   * has; only then is the connection recorded as holding the tenant. Any failure forgets it. No listener is put
   * on the context statement itself: a completion nobody listens to costs nothing.
   */
  private <T> Future<T> settle(SqlConnection conn, UUID tenantId, Future<?> context, Future<T> result) {
    return result.transform(done -> {
      if (done.succeeded() && context.succeeded()) {
        if (context != ALREADY_BOUND) {
          bound.bound(conn, tenantId);
        }
        return Future.succeededFuture(done.result());
      }
      bound.forget(conn);
      return Future.failedFuture(context.failed() ? context.cause()
        : done.failed() ? done.cause()
        : new IllegalStateException("the tenant context statement was not answered"));
    });
  }

  /**
   * TRANSACTION mode's single-statement path: BEGIN and {@code SET LOCAL app.tenant_id} travel as one simple query
   * (two utility statements: nothing to plan); the id is inlined, which is safe because it is a
   * {@link java.util.UUID}'s own text, never client input. COMMIT is always sent, so the connection never goes back
   * to the pool inside the transaction; if any statement failed, PostgreSQL turns that COMMIT into a rollback and
   * the first failure is returned.
   */
  private static <T> Future<T> transactionUnit(SqlClient client, UUID tenantId, Function<SqlClient, Future<T>> work) {
    Future<?> begin = client.query(beginWithContext(tenantId)).execute();
    Future<T> result = run(work, client);
    Future<?> commit = client.query(COMMIT).execute();
    return Future.join(begin, result, commit).transform(done -> done.succeeded()
      ? Future.succeededFuture(result.result())
      : Future.failedFuture(firstCause(result, begin, commit)));
  }

  static String setSessionContext(UUID tenantId) {
    return "SET app.tenant_id = '" + tenantId + "'";
  }

  static String beginWithContext(UUID tenantId) {
    return "BEGIN; SET LOCAL app.tenant_id = '" + tenantId + "'";
  }

  /** Connections whose bound context this node tracks (for tests and the pools' stats). */
  int boundConnections() {
    return bound.size();
  }

  private static <C extends SqlClient, T> Future<T> run(Function<C, Future<T>> work, C conn) {
    try {
      return work.apply(conn);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<Void> rollback(Future<Transaction> begin) {
    return begin.succeeded() ? begin.result().rollback().otherwiseEmpty() : Future.succeededFuture();
  }

  /** The work's own failure (a Problem, say) explains more than the aborted-transaction errors it causes. */
  private static Throwable firstCause(Future<?> result, Future<?>... others) {
    if (result.failed()) {
      return result.cause();
    }
    for (Future<?> other : others) {
      if (other.failed()) {
        return other.cause();
      }
    }
    return new IllegalStateException("no failure");
  }
}
