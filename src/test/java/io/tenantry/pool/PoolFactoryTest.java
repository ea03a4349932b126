package io.tenantry.pool;

import io.tenantry.config.Config;
import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime pools' connection settings, read back from PostgreSQL: the runtime role, application name and
 * timeouts as startup parameters, with and without the statement cache, with a password, and in the
 * server-side-pooler mode (unnamed statements sent with their execution, which PostgreSQL itself accepts too;
 * the PgBouncer variants of the attack and records tests run it through PgBouncer 1.18).
 */
class PoolFactoryTest {
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("db.app-password", "pool-factory-test-password"));
  }

  @AfterAll
  static void stop() {
    if (ts != null) {
      ts.close();
    }
  }

  private static Row settings(Pool pool) {
    return Await.result(pool.preparedQuery("SELECT current_user, current_setting('application_name'), "
      + "current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout'), $1::int")
      .execute(Tuple.of(5)).map(rows -> rows.iterator().next()));
  }

  @Test
  void everyConnectionStartsAsTheRuntimeRoleWithItsTimeouts() {
    Config config = ts.peerConfig(Map.of("db.statement-cache-size", "0", "db.statement-timeout-ms", "1234",
      "db.idle-in-transaction-timeout-ms", "45000", "db.app-password", "pool-factory-test-password"));
    Pool side = new PoolFactory(ts.vertx, config).platformSide("pool-factory-test", 1);
    try {
      Row row = settings(side);
      assertThat(row.getString(0)).isEqualTo(config.appRole());
      assertThat(row.getString(1)).isEqualTo("pool-factory-test");
      assertThat(row.getString(2)).isEqualTo("1234ms");
      assertThat(row.getString(3)).isEqualTo("45s");
      assertThat(row.getInteger(4)).isEqualTo(5);
    } finally {
      Await.result(side.close());
    }
  }

  @Test
  void theServerSidePoolerModeRunsStatementsWithAndWithoutParametersAndInTransactions() {
    Config config = ts.peerConfig(Map.of("db.server-side-pooler", "true"));
    assertThat(config.ops().serverSidePooler()).isTrue();
    Pool pool = new PoolFactory(ts.vertx, config).platformSide("pooler-mode-test", 2);
    try {
      for (int i = 0; i < 20; i++) { // the same statement again and again: never a named statement to find
        assertThat(settings(pool).getInteger(4)).isEqualTo(5);
      }
      Integer inTx = Await.result(pool.withTransaction(tx -> tx.query("SELECT 1").execute()
        .compose(v -> tx.preparedQuery("SELECT $1::int + 1").execute(Tuple.of(41)))
        .map(rows -> rows.iterator().next().getInteger(0))));
      assertThat(inTx).isEqualTo(42);
    } finally {
      Await.result(pool.close());
    }
  }

  @Test
  void zeroHttpInstancesMeansOneEventLoopPerCore() {
    assertThat(PoolFactory.httpEventLoops(TestServer.config(Map.of("http.instances", "0"))))
      .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(PoolFactory.httpEventLoops(TestServer.config(Map.of("http.instances", "3")))).isEqualTo(3);
  }
}
