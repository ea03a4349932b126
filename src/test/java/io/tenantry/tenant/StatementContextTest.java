package io.tenantry.tenant;

import io.tenantry.support.Await;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code db.tenant-context: session} (the default): the context is bound to the connection and re-set only when
 * the connection serves another tenant. On a pool of ONE connection, so every unit reuses the connection of the
 * one before — and a statement on the pool itself (outside TenantDb) runs on that connection too, which lets the
 * tests put a wrong context on it behind TenantDb's back.
 */
class SessionContextTest {
  /** Row-level security alone decides what this counts: no tenant_id key. */
  private static final String COUNT_VISIBLE = "SELECT count(*) FROM shared.records";
  /** As the records statements are written: the tenant's key as well. */
  private static final String COUNT_OWN = "SELECT count(*) FROM shared.records WHERE tenant_id = $1";
  private static OneConnection world;
  private static Pool pool;
  private static TenantDb db;
  private static Tenant a;
  private static Tenant b;

  @BeforeAll
  static void start() {
    world = new OneConnection("sess");
    pool = world.pool;
    a = world.a;
    b = world.b;
  }

  @BeforeEach
  void freshTenantDb() {
    // A new TenantDb tracks nothing: its first unit on the connection always sets the context.
    db = world.tenantDb(TenantDb.ContextMode.SESSION);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static long visibleTo(Tenant tenant) {
    return Await.result(db.autocommit(tenant, conn -> conn.query(COUNT_VISIBLE).execute()
      .map(rows -> rows.iterator().next().getLong(0))), 10);
  }

  private static long ownOf(Tenant tenant) {
    return Await.result(db.autocommit(tenant, conn -> conn.preparedQuery(COUNT_OWN).execute(Tuple.of(tenant.id()))
      .map(rows -> rows.iterator().next().getLong(0))), 10);
  }

  /** Behind TenantDb's back, as a bug elsewhere would: the connection now holds another context. */
  private static void contextBehindTheBack(String tenantId) {
    Await.result(pool.query("SELECT set_config('app.tenant_id', '" + tenantId + "', false)").execute(), 10);
  }

  @Test
  void aFreshConnectionSeesNothing() {
    Await.result(pool.query("RESET app.tenant_id").execute(), 10);
    long visible = Await.result(pool.query(COUNT_VISIBLE).execute(), 10).iterator().next().getLong(0);
    assertThat(visible).isZero();
  }

  @Test
  void eachTenantOnTheSameConnectionSeesOnlyItsOwnRows() {
    assertThat(visibleTo(a)).isEqualTo(1);
    assertThat(visibleTo(b)).isZero();
    assertThat(visibleTo(a)).isEqualTo(1);
    assertThat(db.boundConnections()).isEqualTo(1);
  }

  @Test
  void theSameTenantAgainSendsNoContextStatementAndAStaleContextFailsClosed() {
    assertThat(ownOf(a)).isEqualTo(1);
    contextBehindTheBack(b.id().toString());
    // TenantDb believes the connection holds A's context and sends none: had it re-set the context, A would see
    // its record. Under B's context, A's key matches nothing — row-level security for B AND tenant_id = A.
    assertThat(ownOf(a)).isZero();
    // A write under the stale context is refused by the policy's WITH CHECK, and nothing lands anywhere.
    Future<Object> write = db.autocommit(a, conn -> conn.preparedQuery(
        "INSERT INTO shared.records (tenant_id, collection, id, data) VALUES ($1, 'notes', $2, '{}')")
      .execute(Tuple.of(a.id(), UUID.randomUUID())).map(rows -> (Object) rows));
    assertThrows(RuntimeException.class, () -> Await.result(write, 10));
    assertThat(((PgException) write.cause()).getSqlState()).isEqualTo("42501");
    // The failure made TenantDb forget the connection: the next unit sets A's context again.
    assertThat(ownOf(a)).isEqualTo(1);
    assertThat(visibleTo(b)).isZero();
  }

  @Test
  void aFailingUnitReportsItsOwnFailureAndTheNextUnitSetsItsContextAgain() {
    assertThat(visibleTo(a)).isEqualTo(1);
    Future<Object> failed = db.autocommit(a, conn -> conn.query("SELECT 1/0").execute().map(rows -> (Object) rows));
    assertThrows(RuntimeException.class, () -> Await.result(failed, 10));
    assertThat(((PgException) failed.cause()).getSqlState()).isEqualTo("22012");
    assertThat(db.boundConnections()).isZero();
    contextBehindTheBack(UUID.randomUUID().toString());
    assertThat(visibleTo(a)).isEqualTo(1);
  }

  @Test
  void theContextStatementAndTheWorkLeaveInOneWriteAndAreAnsweredInOrder() {
    // Alternating tenants: every unit needs the context statement, grouped with its work.
    for (int i = 0; i < 20; i++) {
      assertThat(visibleTo(i % 2 == 0 ? a : b)).isEqualTo(i % 2 == 0 ? 1 : 0);
    }
    Future<Long> late = db.autocommit(a, conn -> conn.query("SELECT 1").execute()
      .compose(first -> conn.preparedQuery(COUNT_VISIBLE).execute())
      .map(rows -> rows.iterator().next().getLong(0)));
    assertThrows(RuntimeException.class, () -> Await.result(late, 10));
    assertThat(late.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(visibleTo(a)).isEqualTo(1);
  }

  @Test
  void aUnitThatThrowsBeforeIssuingAnyStatementLeavesTheConnectionUsable() {
    assertThat(visibleTo(a)).isEqualTo(1); // bound: the next unit of A needs no context statement, so its group is empty
    for (Tenant tenant : new Tenant[] {a, b}) {
      Future<Long> thrown = db.autocommit(tenant, conn -> {
        throw new IllegalStateException("the work failed before issuing anything");
      });
      assertThrows(RuntimeException.class, () -> Await.result(thrown, 10));
      assertThat(thrown.cause()).isInstanceOf(IllegalStateException.class);
    }
    assertThat(visibleTo(a)).isEqualTo(1);
    assertThat(visibleTo(b)).isZero();
  }

  @Test
  void aTransactionRolledBackLeavesTheConnectionUsable() {
    Future<Object> failed = db.withTenant(a, conn -> conn.preparedQuery(COUNT_OWN).execute(Tuple.of(a.id()))
      .compose(rows -> conn.query("SELECT 1/0").execute()).map(rows -> (Object) rows));
    assertThrows(RuntimeException.class, () -> Await.result(failed, 10));
    assertThat(visibleTo(b)).isZero();
    assertThat(visibleTo(a)).isEqualTo(1);
    boolean outsideTransaction = Await.result(pool.query("SELECT now() = statement_timestamp()").execute(), 10)
      .iterator().next().getBoolean(0);
    assertThat(outsideTransaction).isTrue();
  }
}
