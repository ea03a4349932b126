package io.tenantry.data;

import io.tenantry.pool.TenantPools;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;

import java.util.function.Function;

/**
 * The only way handlers reach tenant data: a connection (or the pool) of the tenant's tier, under its concurrency
 * cap, with the tenant context ({@code app.tenant_id}, which row-level security reads) in force while the work's
 * statements run.
 *
 * <p>The context is always transaction-local: it never outlives the statement or transaction that set it, so a
 * pooled connection never carries one to its next user, and a statement that does not set it sees and writes
 * nothing. Where it is set is {@link ContextMode}. By default ({@code STATEMENT}) every tenant statement sets it
 * itself: its WHERE clause carries {@link #CONTEXT} (RecordSql), an InitPlan that PostgreSQL evaluates as the
 * plan's one-time filter, before the scan and the policy read the setting — no statement besides the work's, and
 * it holds behind a transaction-pooling proxy too. {@code TRANSACTION} sets it with BEGIN; SET LOCAL before the
 * work and COMMITs after, which does not depend on how PostgreSQL orders a statement's filters, at the price of two
 * extra protocol messages per unit (docs/benchmarks.md). In both, every statement also names {@code tenant_id = $1}:
 * a context and a key that disagree match nothing.
 *
 * <p>A tenant's own statement timeout ({@link Tenant#statementTimeoutMs()}) is set transaction-locally in the same
 * messages as the context: in every {@link #withTenant} transaction, and in {@code TRANSACTION} mode's autocommit
 * units. {@code STATEMENT} mode's autocommit statements have no transaction to put it in without another round
 * trip, so they run under the pool's timeout ({@code db.statement-timeout-ms}); database-tier tenants' own pools
 * carry the tenant's timeout on every connection instead.
 */
public final class TenantDb {
  /** Where the tenant context is set; {@code db.tenant-context}. */
  public enum ContextMode { STATEMENT, TRANSACTION }

  /**
   * The tenant context as part of a statement's WHERE clause, {@code $1} being the tenant id: sets
   * {@code app.tenant_id} for the statement's own transaction. PostgreSQL evaluates an uncorrelated sub-select as
   * an InitPlan of the plan's one-time filter, before any row is read, and the policy's own sub-select (which
   * reads the setting) only after it; if it ever did otherwise the policy would read no context and the statement
   * would find nothing and write nothing (the records tests would all fail), never another tenant's rows.
   */
  public static final String CONTEXT = "(SELECT set_config('app.tenant_id', $1::uuid::text, true)) IS NOT NULL";
  static final String SET_CONTEXT = "SELECT set_config('app.tenant_id', $1, true)";
  static final String COMMIT = "COMMIT";
  private static final Future<Object> NOTHING = Future.succeededFuture();

  private final TenantPools pools;
  private final ContextMode mode;

  public TenantDb(TenantPools pools, ContextMode mode) {
    this.pools = pools;
    this.mode = mode;
  }

  /**
   * Work whose statements each commit on their own (a single read or insert, say) and are all issued before the
   * work returns (no statement waits for another's result); every statement carries {@link #CONTEXT}. In
   * {@code STATEMENT} mode the statements go straight to the pool, as a single-tenant server's would. In
   * {@code TRANSACTION} mode BEGIN with the context, the statements and COMMIT are written to one connection
   * together, in one write ({@link OneWrite}), and a statement created after the work returned is refused.
   */
  public <T> Future<T> autocommit(Tenant tenant, Function<SqlClient, Future<T>> work) {
    if (mode == ContextMode.STATEMENT) {
      return pools.withClient(tenant, work); // TenantPools turns a throwing work into a failed future
    }
    return pools.withConnection(tenant, conn -> OneWrite.run(conn, client -> transactionUnit(client, tenant, work)));
  }

  /** Work that needs one transaction (read, check, write): rolled back if any of it fails. */
  public <T> Future<T> withTenant(Tenant tenant, Function<SqlConnection, Future<T>> work) {
    return pools.withConnection(tenant, conn -> {
      Future<Transaction> begin = conn.begin();
      Future<?> local = mode == ContextMode.TRANSACTION
        ? conn.preparedQuery(SET_CONTEXT).execute(Tuple.of(tenant.id().toString()))
        : NOTHING;
      Future<?> timeout = tenant.statementTimeoutMs() == null ? NOTHING
        : conn.query(setLocalStatementTimeout(tenant.statementTimeoutMs())).execute();
      Future<T> result = run(work, conn);
      return Future.join(begin, local, timeout, result)
        .compose(
          done -> begin.result().commit().map(v -> result.result()),
          failed -> rollback(begin).compose(v -> Future.<T>failedFuture(firstCause(result, local, timeout, begin))));
    });
  }

  /**
   * TRANSACTION mode's single-statement path: BEGIN and {@code SET LOCAL app.tenant_id} travel as one simple query
   * (two utility statements: nothing to plan); the id is inlined, which is safe because it is a
   * {@link java.util.UUID}'s own text, never client input. COMMIT is always sent, so the connection never goes back
   * to the pool inside the transaction; if any statement failed, PostgreSQL turns that COMMIT into a rollback and
   * the first failure is returned.
   */
  private static <T> Future<T> transactionUnit(SqlClient client, Tenant tenant, Function<SqlClient, Future<T>> work) {
    Future<?> begin = client.query(beginWithContext(tenant)).execute();
    Future<T> result = run(work, client);
    Future<?> commit = client.query(COMMIT).execute();
    return Future.join(begin, result, commit).transform(done -> done.succeeded()
      ? Future.succeededFuture(result.result())
      : Future.failedFuture(firstCause(result, begin, commit)));
  }

  /** The tenant's own statement timeout, when it has one, travels in the same simple query. */
  static String beginWithContext(Tenant tenant) {
    String begin = "BEGIN; SET LOCAL app.tenant_id = '" + tenant.id() + "'";
    return tenant.statementTimeoutMs() == null ? begin : begin + "; " + setLocalStatementTimeout(tenant.statementTimeoutMs());
  }

  /** Inlined: an int, never client text. */
  static String setLocalStatementTimeout(int millis) {
    return "SET LOCAL statement_timeout = " + millis;
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
