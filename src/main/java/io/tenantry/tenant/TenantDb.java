package io.tenantry.tenant;

import io.tenantry.pool.TenantPools;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;
import java.util.function.Function;

/**
 * The only way handlers reach tenant data. Gets a connection from the tenant's pool ({@link TenantPools}) and
 * runs the work in a transaction whose tenant context ({@code app.tenant_id}) is set transaction-locally, so it
 * is gone at COMMIT/ROLLBACK and can never follow the pooled connection into another tenant's request. BEGIN,
 * the context statement and the work's first query are pipelined on the held connection instead of awaited one
 * by one.
 *
 * <p>Work that issues all its statements at once (one read, one insert) goes through {@link #pipelined}: BEGIN, the
 * context, the statements and COMMIT leave together, one round trip instead of two.
 *
 * <p>Fails closed: if the context statement fails the transaction is aborted and the work's queries fail; if it
 * were skipped, row-level security would show no rows. Queries also carry {@code tenant_id = $1} as a second key.
 */
public final class TenantDb {
  static final String SET_CONTEXT = "SELECT set_config('app.tenant_id', $1, true)";
  static final String COMMIT = "COMMIT";

  private final TenantPools pools;

  public TenantDb(TenantPools pools) {
    this.pools = pools;
  }

  public <T> Future<T> withTenant(Tenant tenant, Function<SqlConnection, Future<T>> work) {
    return pools.withConnection(tenant, conn -> {
      Future<Transaction> begin = conn.begin();
      Future<?> context = conn.preparedQuery(SET_CONTEXT).execute(Tuple.of(tenant.id().toString()));
      Future<T> result = run(work, conn);
      return Future.join(begin, context, result)
        .compose(
          done -> begin.result().commit().map(v -> result.result()),
          failed -> rollback(begin).compose(v -> Future.<T>failedFuture(firstCause(result, context, begin))));
    });
  }

  /**
   * Like {@link #withTenant}, for work that issues every statement before it returns (no statement may wait for
   * another's result): BEGIN with the context, the work's statements and COMMIT are written together on the held
   * connection and answered in one round trip. BEGIN and {@code SET LOCAL app.tenant_id} travel as one simple
   * query (two utility statements: nothing to plan, one command fewer for the client and the server); the id is
   * inlined, which is safe because it is a {@link java.util.UUID}'s own text, never client input. COMMIT is always sent, so the connection never goes back to the
   * pool inside the transaction; if any statement failed, PostgreSQL turns that COMMIT into a rollback and the
   * first failure is returned. A statement issued later (after awaiting) would run after COMMIT, without a tenant
   * context, where row-level security shows and accepts nothing.
   */
  public <T> Future<T> pipelined(Tenant tenant, Function<SqlConnection, Future<T>> work) {
    return pools.withConnection(tenant, conn -> {
      Future<?> begin = conn.query(beginWithContext(tenant.id())).execute();
      Future<T> result = run(work, conn);
      Future<?> commit = conn.query(COMMIT).execute();
      return Future.join(begin, result, commit).transform(done -> done.succeeded()
        ? Future.succeededFuture(result.result())
        : Future.failedFuture(firstCause(result, begin, commit)));
    });
  }

  static String beginWithContext(UUID tenantId) {
    return "BEGIN; SET LOCAL app.tenant_id = '" + tenantId + "'";
  }

  private static <T> Future<T> run(Function<SqlConnection, Future<T>> work, SqlConnection conn) {
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
