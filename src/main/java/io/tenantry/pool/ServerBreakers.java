package io.tenantry.pool;

import io.tenantry.tenant.DbTarget;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.FailurePolicy;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One circuit breaker per PostgreSQL server (host:port) that database-tier tenants live on. After
 * {@code maxFailures} connection failures within the failure window the breaker opens: the server's tenants are
 * answered 503 at once, without a connection attempt, for {@code resetMs}; then one request probes the server
 * (half-open) and closes the breaker if it gets through. Only connection failures count
 * ({@link ConnectionFailures#serverUnreachable}); a statement that fails on a reachable server does not. Other
 * servers' tenants, the platform pool and readiness are untouched.
 */
public final class ServerBreakers {
  private static final Logger LOG = LoggerFactory.getLogger(ServerBreakers.class);

  private final Vertx vertx;
  private final int maxFailures;
  private final long resetMs;
  private final long windowMs;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  public ServerBreakers(Vertx vertx, int maxFailures, long resetMs, long windowMs) {
    this.vertx = vertx;
    this.maxFailures = maxFailures;
    this.resetMs = resetMs;
    this.windowMs = windowMs;
  }

  public static String server(DbTarget target) {
    return target.host() + ":" + target.port();
  }

  /**
   * Runs {@code work} (everything a request does on that server's pool) through the server's breaker. A connection
   * failure, and an open breaker, come back as {@link TenantServerUnavailable}; any other outcome as it was.
   */
  public <T> Future<T> execute(DbTarget target, Supplier<Future<T>> work) {
    String server = server(target);
    CircuitBreaker breaker = breakers.computeIfAbsent(server, this::create);
    return breaker.execute(work).recover(failure -> Future.failedFuture(translate(server, failure)));
  }

  private Throwable translate(String server, Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return new TenantServerUnavailable(server, true, retryAfterSeconds(), null);
    }
    if (ConnectionFailures.serverUnreachable(failure)) {
      return new TenantServerUnavailable(server, false, 1, failure);
    }
    return failure;
  }

  /** Seconds until the breaker lets a probe through, rounded up: when a retry can succeed. */
  public int retryAfterSeconds() {
    return (int) Math.max(1, (resetMs + 999) / 1000);
  }

  private CircuitBreaker create(String server) {
    CircuitBreaker breaker = CircuitBreaker.create("pg-server " + server, vertx, new CircuitBreakerOptions()
      .setMaxFailures(maxFailures)
      .setResetTimeout(resetMs)
      .setFailuresRollingWindow(windowMs)
      .setTimeout(-1) // the pool's connect and acquire timeouts bound every attempt already
      .setFallbackOnFailure(false)
      .setNotificationAddress(null)); // no event-bus traffic (which would cross a cluster)
    breaker.failurePolicy((FailurePolicy<Object>) done -> done.failed() && ConnectionFailures.serverUnreachable(done.cause()));
    breaker.openHandler(v -> LOG.atWarn().addKeyValue("server", server).log(
      "tenant database server {} unreachable: circuit open, its tenants are answered 503 for {} ms", server, resetMs));
    breaker.halfOpenHandler(v -> LOG.atInfo().addKeyValue("server", server).log(
      "tenant database server {}: circuit half-open, one request probes it", server));
    breaker.closeHandler(v -> LOG.atInfo().addKeyValue("server", server).log(
      "tenant database server {} reachable again: circuit closed", server));
    return breaker;
  }

  /** Every server's breaker: state (CLOSED, OPEN, HALF_OPEN) and failures counted in the window. */
  public JsonArray stats() {
    JsonArray servers = new JsonArray();
    new TreeMap<>(breakers).forEach((server, breaker) -> servers.add(new JsonObject()
      .put("server", server)
      .put("state", breaker.state().name())
      .put("failures", breaker.failureCount())));
    return servers;
  }

  /** The state of one server's breaker (CLOSED when it has none yet). */
  public CircuitBreakerState state(String server) {
    CircuitBreaker breaker = breakers.get(server);
    return breaker == null ? CircuitBreakerState.CLOSED : breaker.state();
  }

  public void close() {
    breakers.values().forEach(CircuitBreaker::close);
    breakers.clear();
  }
}
