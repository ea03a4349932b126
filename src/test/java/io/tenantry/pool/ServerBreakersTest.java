package io.tenantry.pool;

import io.tenantry.tenant.DbTarget;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-server circuit breakers on their own: which failures open a server's breaker, what its tenants get while
 * it is open, and that one probe closes it again. The work is what a request would run on the server's pool; here
 * its outcome is given (a refused connection is a ConnectException, as the pool reports one), so every transition
 * is reached without stopping a PostgreSQL server (TenantServerDownTest does that through the HTTP API).
 */
class ServerBreakersTest {
  private static final DbTarget DOWN = new DbTarget("10.0.0.1", 5432, "tenantry_t1");
  private static final DbTarget UP = new DbTarget("10.0.0.2", 5433, "tenantry_t2");
  private Vertx vertx;
  private ServerBreakers breakers;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    breakers = new ServerBreakers(vertx, 2, 300, 60_000);
  }

  @AfterEach
  void stop() {
    breakers.close();
    vertx.close().await();
  }

  private static Future<String> refused() {
    return Future.failedFuture(new ConnectException("Connection refused"));
  }

  private Throwable failureOf(DbTarget target, java.util.function.Supplier<Future<String>> work) {
    Future<String> result = breakers.execute(target, work);
    assertThat(result.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(10));
    return result.cause();
  }

  @Test
  void connectionFailuresOpenTheServersBreakerAndItsTenantsAreAnsweredWithoutAnAttempt() throws Exception {
    assertThat(breakers.state("10.0.0.1:5432")).isEqualTo(CircuitBreakerState.CLOSED);
    Throwable first = failureOf(DOWN, ServerBreakersTest::refused);
    assertThat(first).isInstanceOfSatisfying(TenantServerUnavailable.class, e -> {
      assertThat(e.server()).isEqualTo("10.0.0.1:5432");
      assertThat(e.breakerOpen()).isFalse();
      assertThat(e.retryAfterSeconds()).isEqualTo(1);
      assertThat(e.getCause()).isInstanceOf(ConnectException.class);
      assertThat(e.getMessage()).contains("is unreachable");
    });
    failureOf(DOWN, ServerBreakersTest::refused);
    assertThat(breakers.state("10.0.0.1:5432")).isEqualTo(CircuitBreakerState.OPEN);

    AtomicInteger attempts = new AtomicInteger();
    Throwable open = failureOf(DOWN, () -> {
      attempts.incrementAndGet();
      return Future.succeededFuture("never");
    });
    assertThat(attempts).hasValue(0);
    assertThat(open).isInstanceOfSatisfying(TenantServerUnavailable.class, e -> {
      assertThat(e.breakerOpen()).isTrue();
      assertThat(e.retryAfterSeconds()).isEqualTo(breakers.retryAfterSeconds()).isEqualTo(1);
      assertThat(e.getMessage()).contains("circuit open");
    });

    // Another server's tenants are untouched.
    assertThat(breakers.execute(UP, () -> Future.succeededFuture("ok")).await()).isEqualTo("ok");
    JsonObject down = breakers.stats().getJsonObject(0);
    assertThat(down.getString("server")).isEqualTo("10.0.0.1:5432");
    assertThat(down.getString("state")).isEqualTo("OPEN");
    assertThat(breakers.stats().getJsonObject(1).getString("state")).isEqualTo("CLOSED");

    // After the reset timeout one probe goes through and closes the breaker.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (breakers.state("10.0.0.1:5432") != CircuitBreakerState.HALF_OPEN && Instant.now().isBefore(deadline)) {
      Thread.onSpinWait();
    }
    assertThat(breakers.state("10.0.0.1:5432")).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(breakers.execute(DOWN, () -> Future.succeededFuture("back")).await()).isEqualTo("back");
    assertThat(breakers.state("10.0.0.1:5432")).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aStatementThatFailsOnAReachableServerIsPassedOnAndNotCounted() {
    PgException unique = new PgException("duplicate key", "ERROR", "23505", "detail");
    for (int i = 0; i < 5; i++) {
      assertThat(failureOf(DOWN, () -> Future.failedFuture(unique))).isSameAs(unique);
    }
    assertThat(breakers.state("10.0.0.1:5432")).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(breakers.stats().getJsonObject(0).getInteger("failures")).isZero();
  }

  @Test
  void retryAfterRoundsTheResetTimeoutUpToWholeSeconds() {
    assertThat(new ServerBreakers(vertx, 1, 1001, 1000).retryAfterSeconds()).isEqualTo(2);
    assertThat(new ServerBreakers(vertx, 1, 0, 1000).retryAfterSeconds()).isEqualTo(1);
    assertThat(ServerBreakers.server(UP)).isEqualTo("10.0.0.2:5433");
  }
}
