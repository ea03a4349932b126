package io.tenantry.pool;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures mean the server is gone, and which leave a write's outcome unknown. */
class ConnectionFailuresTest {
  private static PgException pg(String state) {
    return new PgException("message", "FATAL", state, null);
  }

  @Test
  void aRefusedConnectionIsUnreachableAndNothingWasSent() {
    ConnectException refused = new ConnectException("Connection refused");
    assertThat(ConnectionFailures.serverUnreachable(refused)).isTrue();
    assertThat(ConnectionFailures.outcomeUnknown(refused)).isFalse();
  }

  @Test
  void aConnectionLostWithoutAnAnswerLeavesTheOutcomeUnknown() {
    assertThat(ConnectionFailures.serverUnreachable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(ConnectionFailures.outcomeUnknown(ClosedConnectionException.INSTANCE)).isTrue();
    SocketException reset = new SocketException("Connection reset");
    assertThat(ConnectionFailures.serverUnreachable(reset)).isTrue();
    assertThat(ConnectionFailures.outcomeUnknown(new IllegalStateException("wrapped", reset))).isTrue();
  }

  /**
   * A statement on a connection that has closed is refused by the driver before anything is sent: the server is
   * gone as far as this request knows (503, not a 500), and a write's outcome is known — it was not applied.
   */
  @Test
  void aStatementOnAClosedConnectionIsUnreachableAndNothingWasSent() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.sqlclient.SqlConnection conn = io.tenantry.support.Await.result(io.vertx.pgclient.PgConnection.connect(vertx,
        new io.vertx.pgclient.PgConnectOptions().setHost(io.tenantry.support.TestEnv.pgHost())
          .setPort(io.tenantry.support.TestEnv.pgPort()).setDatabase("postgres")
          .setUser(io.tenantry.support.TestEnv.adminUser())), 10);
      io.tenantry.support.Await.result(conn.close(), 10);
      Throwable refused = conn.query("SELECT 1").execute().toCompletionStage().toCompletableFuture()
        .handle((rows, failure) -> failure).join();
      assertThat(refused).hasMessageStartingWith("Connection is not active now");
      assertThat(ConnectionFailures.serverUnreachable(refused)).isTrue();
      assertThat(ConnectionFailures.outcomeUnknown(refused)).isFalse();
    } finally {
      io.tenantry.support.Await.result(vertx.close(), 10);
    }
  }

  @Test
  void shutdownStartupAndConnectionExceptionStatesAreUnreachableAndTheServerSaidSo() {
    for (String state : new String[] {"57P01", "57P02", "57P03", "08006", "08001"}) {
      assertThat(ConnectionFailures.serverUnreachable(pg(state))).as(state).isTrue();
      assertThat(ConnectionFailures.outcomeUnknown(pg(state))).as(state).isFalse();
    }
  }

  @Test
  void aStatementThatFailsOnAReachableServerIsNeither() {
    for (String state : new String[] {"23505", "57014", "40001", "42P01"}) {
      assertThat(ConnectionFailures.serverUnreachable(pg(state))).as(state).isFalse();
      assertThat(ConnectionFailures.outcomeUnknown(pg(state))).as(state).isFalse();
    }
    assertThat(ConnectionFailures.serverUnreachable(new IllegalStateException("a bug"))).isFalse();
    for (io.vertx.core.VertxException other : new io.vertx.core.VertxException[] {
      new io.vertx.core.VertxException("Connection pool reached max wait queue size"), new io.vertx.core.VertxException((String) null)}) {
      assertThat(ConnectionFailures.serverUnreachable(other)).as(String.valueOf(other.getMessage())).isFalse();
      assertThat(ConnectionFailures.outcomeUnknown(other)).as(String.valueOf(other.getMessage())).isFalse();
    }
  }

  @Test
  void parseEncodeAndDiskErrorsAreNotTheServerGoingAway() {
    var tooDeep = new com.fasterxml.jackson.core.exc.StreamConstraintsException("Document nesting depth (1001)");
    assertThat(ConnectionFailures.serverUnreachable(new IllegalStateException("a stored record cannot be decoded", tooDeep)))
      .isFalse();
    assertThat(ConnectionFailures.serverUnreachable(new java.io.IOException("No space left on device"))).isFalse();
    assertThat(ConnectionFailures.outcomeUnknown(new java.io.IOException("No space left on device"))).isFalse();
    assertThat(ConnectionFailures.serverUnreachable(new java.nio.channels.ClosedChannelException())).isTrue();
  }

  @Test
  void nettysOwnIoFailuresOfTheConnectionAreTheServerGoingAwayWithTheOutcomeUnknown() {
    // Netty's I/O exceptions (here: the TLS engine closed under the connection) are the connection's own failures.
    var closedEngine = new io.netty.handler.ssl.SslClosedEngineException("SSLEngine closed");
    assertThat(ConnectionFailures.serverUnreachable(closedEngine)).isTrue();
    assertThat(ConnectionFailures.outcomeUnknown(new IllegalStateException("wrapped", closedEngine))).isTrue();
  }

  @Test
  void anErrorWithoutSqlStateOrWhoseCauseIsItselfEndsTheSearch() {
    assertThat(ConnectionFailures.serverUnreachable(new PgException("no state", "ERROR", null, null))).isFalse();
    RuntimeException selfCaused = new RuntimeException("its own cause") {
      @Override
      public synchronized Throwable getCause() {
        return this;
      }
    };
    assertThat(ConnectionFailures.serverUnreachable(selfCaused)).isFalse();
    assertThat(ConnectionFailures.outcomeUnknown(selfCaused)).isFalse();
  }

  @Test
  void anAcquireTimeoutIsRecognisedByTypeOrName() {
    assertThat(ConnectionFailures.acquireTimeout(new java.util.concurrent.TimeoutException())).isTrue();
    // by name: a timeout of another family (the pool's own types differ across Vert.x versions)
    assertThat(ConnectionFailures.acquireTimeout(new io.netty.handler.ssl.SslHandshakeTimeoutException("handshake")))
      .isTrue();
    assertThat(ConnectionFailures.acquireTimeout(new IllegalStateException("Timeout in the message only"))).isFalse();
  }
}
