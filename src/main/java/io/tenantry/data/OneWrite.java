package io.tenantry.data;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SqlClientInternal;

import java.util.function.Function;

/**
 * Statements of one unit of work written to the connection together: one task on the connection's event loop, one
 * flush, one {@code write(2)} — where Vert.x's pipelining alone still schedules, flushes and writes each command on
 * its own (sql-client 5.0.7, {@code SocketConnectionBase.checkPending}). Used by {@code db.tenant-context:
 * transaction}, whose units are BEGIN with the context, the statements and COMMIT. Built on the client's grouping
 * ({@link SqlClientInternal#group}, internal API: re-check on every Vert.x upgrade; {@code TransactionContextTest}
 * and {@code TransactionContextPooledConnectionAttacksTest} fail if it stops working).
 *
 * <p>The group is sent when the work returns, so the work must create every statement before it returns; a
 * statement created later (after awaiting another's result) is refused with an IllegalStateException instead of
 * joining a group that was already sent and never being answered.
 */
final class OneWrite implements SqlClient {
  private final SqlClient group;
  private boolean sent;

  private OneWrite(SqlClient group) {
    this.group = group;
  }

  /** Runs {@code work} against a grouping client of {@code conn} and sends what it issued as one write. */
  static <T> Future<T> run(SqlConnection conn, Function<SqlClient, Future<T>> work) {
    @SuppressWarnings("unchecked")
    Future<T>[] result = new Future[1];
    Handler<SqlClient> block = group -> {
      OneWrite client = new OneWrite(group);
      try {
        result[0] = work.apply(client);
      } catch (RuntimeException e) {
        result[0] = Future.failedFuture(e);
      } finally {
        client.sent = true;
      }
    };
    ((SqlClientInternal) conn).group(block);
    return result[0];
  }

  private SqlClient open() {
    if (sent) {
      throw new IllegalStateException("a statement created after its unit's statements were sent");
    }
    return group;
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return open().query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return open().preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return open().preparedQuery(sql, options);
  }

  @Override
  public Future<Void> close() {
    return Future.failedFuture(new UnsupportedOperationException("the unit's connection is closed by TenantDb"));
  }
}
