package io.tenantry.tenant;

import io.tenantry.data.TenantDb;
import io.tenantry.support.Await;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code db.tenant-context: transaction}, {@link TenantDb#autocommit}: BEGIN, context, statement and COMMIT in one write. On a pool of ONE connection, so
 * every unit reuses the connection of the one before: whether the statement failed or not, the connection comes
 * back outside any transaction and without a tenant context.
 */
class TransactionContextTest {
  private static final String COUNT = "SELECT count(*) FROM shared.records WHERE tenant_id = $1";
  private static OneConnection world;
  private static Pool pool;
  private static TenantDb db;
  private static Tenant a;
  private static Tenant b;

  @BeforeAll
  static void start() {
    world = new OneConnection("pipe");
    pool = world.pool;
    a = world.a;
    b = world.b;
    db = world.tenantDb(TenantDb.ContextMode.TRANSACTION);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static Row connectionState() throws InterruptedException {
    Thread.sleep(20); // a transaction left open would now be visibly older than the next statement
    return Await.result(pool.query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS context, "
      + "now() = statement_timestamp() AS outside_transaction").execute(), 10).iterator().next();
  }

  @Test
  void aSucceedingUnitSeesItsTenantAndLeavesNoContextBehind() throws InterruptedException {
    long own = Await.result(db.autocommit(a, conn -> conn.preparedQuery(COUNT).execute(Tuple.of(a.id()))
      .map(rows -> rows.iterator().next().getLong(0))), 10);
    assertThat(own).isEqualTo(1);
    Row state = connectionState();
    assertThat(state.getString("context")).isEmpty();
    assertThat(state.getBoolean("outside_transaction")).isTrue();
  }

  @Test
  void aFailingUnitReportsItsOwnFailureAndTheConnectionComesBackClean() throws InterruptedException {
    Future<Object> failed = db.autocommit(a, conn -> conn.query("SELECT 1/0").execute().map(rows -> (Object) rows));
    try {
      Await.result(failed, 10);
    } catch (RuntimeException expected) {
      // asserted below
    }
    assertThat(failed.cause()).isInstanceOf(PgException.class);
    assertThat(((PgException) failed.cause()).getSqlState()).isEqualTo("22012");
    Row state = connectionState();
    assertThat(state.getString("context")).isEmpty();
    assertThat(state.getBoolean("outside_transaction")).isTrue();

    // The next unit on the same connection, for another tenant, sees only its own (no) rows.
    long seenByB = Await.result(db.autocommit(b, conn -> conn.preparedQuery("SELECT count(*) FROM shared.records")
      .execute().map(rows -> rows.iterator().next().getLong(0))), 10);
    assertThat(seenByB).isZero();
  }

  @Test
  void aStatementCreatedAfterTheUnitWasSentIsRefusedNotLeftHanging() {
    Future<Long> late = db.autocommit(a, conn -> conn.query("SELECT 1").execute()
      .compose(first -> conn.preparedQuery("SELECT count(*) FROM shared.records").execute())
      .map(rows -> rows.iterator().next().getLong(0)));
    assertThrows(RuntimeException.class, () -> Await.result(late, 10));
    assertThat(late.cause()).isInstanceOf(IllegalStateException.class);
  }
}
