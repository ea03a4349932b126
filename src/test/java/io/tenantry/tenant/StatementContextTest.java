package io.tenantry.tenant;

import io.tenantry.data.TenantDb;
import io.tenantry.records.Record;
import io.tenantry.records.RecordStore;
import io.tenantry.support.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code db.tenant-context: statement} (the default): every tenant statement sets its own transaction-local
 * context. On a pool of ONE connection, so every statement runs on the connection of the one before — and a
 * statement on the pool itself (outside TenantDb) runs on that connection too, which lets the tests look at what
 * a statement left behind and put a wrong context on the connection behind TenantDb's back.
 */
class StatementContextTest {
  private static final String NOTES = "notes";
  /** Row-level security alone decides what this counts: no tenant key, no context of its own. */
  private static final String COUNT_VISIBLE = "SELECT count(*) FROM shared.records";
  private static OneConnection world;
  private static Pool pool;
  private static TenantDb db;
  private static final RecordStore store = new RecordStore();
  private static Tenant a;
  private static Tenant b;

  @BeforeAll
  static void start() {
    world = new OneConnection("stmt");
    pool = world.pool;
    a = world.a;
    b = world.b;
    db = world.tenantDb(TenantDb.ContextMode.STATEMENT);
  }

  @AfterEach
  void noSessionContext() {
    Await.result(pool.query("RESET app.tenant_id").execute(), 10);
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static List<Record> list(Tenant tenant) {
    return Await.result(db.autocommit(tenant, client -> store.list(client, tenant, NOTES, null, 100)), 10);
  }

  private static Optional<Record> get(Tenant tenant, UUID id) {
    Future<Optional<Record>> found = db.autocommit(tenant, client -> store.get(client, tenant, NOTES, id));
    return Await.result(found, 10);
  }

  /** What the one connection holds now, outside any statement of TenantDb's. */
  private static String contextLeftOnTheConnection() {
    return Await.result(pool.query("SELECT coalesce(current_setting('app.tenant_id', true), '')").execute(), 10)
      .iterator().next().getString(0);
  }

  /** Behind TenantDb's back, as a bug elsewhere would: the connection now holds a session-level context. */
  private static void sessionContextBehindTheBack(Tenant tenant) {
    Await.result(pool.query("SELECT set_config('app.tenant_id', '" + tenant.id() + "', false)").execute(), 10);
  }

  @Test
  void everyRecordStatementFindsItsTenantsRowsAndLeavesNoContextBehind() {
    UUID id = UUID.randomUUID();
    Record created = Await.result(db.autocommit(b, client -> store.insert(client, b, NOTES, id, new JsonObject().put("n", 2), io.tenantry.audit.AuditActor.SYSTEM)), 10);
    assertThat(created.version()).isEqualTo(1);
    assertThat(contextLeftOnTheConnection()).isEmpty();

    assertThat(get(b, id)).isPresent();
    assertThat(contextLeftOnTheConnection()).isEmpty();

    assertThat(list(b)).extracting(Record::id).containsExactly(id);
    assertThat(contextLeftOnTheConnection()).isEmpty();

    Record updated = Await.result(db.withTenant(b, conn -> store.lock(conn, b, NOTES, id)
      .compose(current -> store.update(conn, b, NOTES, current.orElseThrow().id(), new JsonObject().put("n", 3), io.tenantry.audit.AuditActor.SYSTEM))), 10);
    assertThat(updated.version()).isEqualTo(2);
    assertThat(contextLeftOnTheConnection()).isEmpty();

    Await.result(db.withTenant(b, conn -> store.delete(conn, b, NOTES, id, io.tenantry.audit.AuditActor.SYSTEM)), 10);
    assertThat(list(b)).isEmpty();
    assertThat(contextLeftOnTheConnection()).isEmpty();
  }

  @Test
  void tenantsAlternatingOnTheSameConnectionSeeOnlyTheirOwnRows() {
    List<Record> ofA = list(a);
    assertThat(ofA).hasSize(1);
    UUID recordOfA = ofA.get(0).id();
    for (int i = 0; i < 10; i++) {
      assertThat(list(a)).extracting(Record::id).containsExactly(recordOfA);
      assertThat(list(b)).isEmpty();
      // B naming A's record (right id, B's own key and context) finds nothing.
      assertThat(get(b, recordOfA)).isEmpty();
    }
  }

  @Test
  void aStatementThatDoesNotSetTheContextSeesNothingAndWritesNothing() {
    assertThat(list(a)).hasSize(1); // A's statement just ran on this connection
    long visible = Await.result(db.autocommit(a, client -> client.query(COUNT_VISIBLE).execute()
      .map(rows -> rows.iterator().next().getLong(0))), 10);
    assertThat(visible).isZero();
    Future<Object> write = db.autocommit(a, client -> client.preparedQuery(
        "INSERT INTO shared.records (tenant_id, collection, id, data) VALUES ($1, 'notes', $2, '{}')")
      .execute(Tuple.of(a.id(), UUID.randomUUID())).map(rows -> (Object) rows));
    assertThrows(RuntimeException.class, () -> Await.result(write, 10));
    assertThat(((PgException) write.cause()).getSqlState()).isEqualTo("42501"); // the policy's WITH CHECK
    assertThat(list(a)).hasSize(1);
  }

  @Test
  void aStaleSessionContextIsOverriddenByTheStatementsOwn() {
    UUID recordOfA = list(a).get(0).id();
    sessionContextBehindTheBack(b);
    // A's statements run under A's context (their own, for their transaction), not under B's.
    assertThat(list(a)).extracting(Record::id).containsExactly(recordOfA);
    assertThat(get(a, recordOfA)).isPresent();
    // ... and leave B's session context as they found it: theirs ended with their transaction.
    assertThat(contextLeftOnTheConnection()).isEqualTo(b.id().toString());
    // B asking for A's record, under its own key and its own context, finds nothing.
    assertThat(get(b, recordOfA)).isEmpty();
  }

  @Test
  void aFailingStatementReportsItsOwnFailureAndTheConnectionStaysUsable() {
    Future<Object> failed = db.autocommit(a, client -> client.query("SELECT 1/0").execute().map(rows -> (Object) rows));
    assertThrows(RuntimeException.class, () -> Await.result(failed, 10));
    assertThat(((PgException) failed.cause()).getSqlState()).isEqualTo("22012");
    Future<Object> thrown = db.autocommit(a, client -> {
      throw new IllegalStateException("the work failed before issuing anything");
    });
    assertThrows(RuntimeException.class, () -> Await.result(thrown, 10));
    assertThat(thrown.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(list(a)).hasSize(1);
    assertThat(list(b)).isEmpty();
  }

  @Test
  void aTransactionRolledBackLeavesTheConnectionUsableAndWithoutContext() {
    Future<Object> failed = db.withTenant(a, conn -> store.list(conn, a, NOTES, null, 10)
      .compose(rows -> conn.query("SELECT 1/0").execute()).map(rows -> (Object) rows));
    assertThrows(RuntimeException.class, () -> Await.result(failed, 10));
    assertThat(contextLeftOnTheConnection()).isEmpty();
    boolean outsideTransaction = Await.result(pool.query("SELECT now() = statement_timestamp()").execute(), 10)
      .iterator().next().getBoolean(0);
    assertThat(outsideTransaction).isTrue();
    assertThat(list(a)).hasSize(1);
  }

  @Test
  void aPageAfterTheLastRecordIsEmptyAndAPageAfterAnEarlierIdHoldsTheRest() {
    List<Record> all = list(a);
    assertThat(all).isNotEmpty();
    UUID last = all.get(all.size() - 1).id();
    List<Record> afterLast = Await.result(db.<List<Record>>autocommit(a, client -> store.list(client, a, NOTES, last, 100)), 10);
    assertThat(afterLast).isEmpty();
    List<Record> afterNone = Await.result(db.<List<Record>>autocommit(a, client -> store.list(client, a, NOTES,
      new UUID(0, 0), 100)), 10);
    assertThat(afterNone).extracting(Record::id).containsExactlyElementsOf(all.stream().map(Record::id).toList());
  }

  /**
   * A stored document nested deeper than the JSON reader allows (stored by other means than the API, which refuses
   * it) is the server's failure, an IllegalStateException (500), never a DecodeException (which would read as a
   * 400) — and it fails that read only: the connection stays open, and a statement pipelined on it with the read
   * gets its rows.
   */
  @Test
  void aStoredRecordThatCannotBeReadBackIsTheServersFailure() throws Exception {
    UUID id = UUID.randomUUID();
    String deep = "{\"n\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
    try (java.sql.Connection c = io.tenantry.support.TestEnv.connect(world.ts.config.dbName(),
      io.tenantry.support.TestEnv.adminUser()); java.sql.PreparedStatement st = c.prepareStatement(
      "INSERT INTO shared.records (tenant_id, collection, id, data) VALUES (?, ?, ?, ?::jsonb)")) {
      st.setObject(1, b.id());
      st.setString(2, "deep");
      st.setObject(3, id);
      st.setString(4, deep);
      st.executeUpdate();
    }
    int backend = backendPid();
    Future<Optional<Record>> read = db.<Optional<Record>>autocommit(b, client -> store.get(client, b, "deep", id));
    Future<List<Record>> alongside = db.autocommit(a, client -> store.list(client, a, NOTES, null, 100));
    assertThat(read.toCompletionStage().toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(10))
      .withThrowableThat().havingCause().isInstanceOf(IllegalStateException.class)
      .withMessage("a stored record cannot be decoded");
    assertThat(Await.result(alongside, 10)).isNotEmpty();
    assertThat(backendPid()).isEqualTo(backend);
  }

  private static int backendPid() {
    return Await.result(pool.query("SELECT pg_backend_pid()").execute(), 10).iterator().next().getInteger(0);
  }
}
