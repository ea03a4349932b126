package io.tenantry.pool;

import io.tenantry.config.Config;
import io.tenantry.tenant.DbTarget;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/**
 * Runtime pools, always as the runtime role, with cached prepared statements and pipelining (neither behind a
 * transaction-mode pooler, {@code db.server-side-pooler}). Every connection
 * starts with {@code statement_timeout} and {@code idle_in_transaction_session_timeout} as startup parameters (no
 * statement per request): a slow statement of one tenant cannot hold a connection for longer than that.
 */
public final class PoolFactory {
  private final Vertx vertx;
  private final Config config;
  /** One per node's pools: the same schema tenants are resident on every connection. */
  private final StatementCachePolicy statementCache;

  public PoolFactory(Vertx vertx, Config config) {
    this.vertx = vertx;
    this.config = config;
    this.statementCache = StatementCachePolicy.forCacheSize(config.dbStatementCacheSize());
  }

  /**
   * The platform pool: control plane, shared- and schema-tier tenants; {@code db.pool-size} connections split into
   * one pool per HTTP event loop.
   */
  public LoopAffinePool platform() {
    DbTarget target = new DbTarget(config.dbHost(), config.dbPort(), config.dbName());
    return new LoopAffinePool(httpEventLoops(config), config.dbPoolSize(),
      size -> build(target, size, "tenantry", config.dbStatementTimeoutMs()));
  }

  /** How many HTTP verticles (one per event loop) the servers deploy: {@code http.instances}, 0 = one per core. */
  public static int httpEventLoops(Config config) {
    return config.httpInstances() > 0 ? config.httpInstances() : Runtime.getRuntime().availableProcessors();
  }

  /** A database-tier tenant's own pool, its connections with the tenant's statement timeout (null: the default). */
  public Pool dedicated(DbTarget target, Integer statementTimeoutMs) {
    return build(target, config.dedicatedPoolSize(), "tenantry-tenant",
      statementTimeoutMs == null ? config.dbStatementTimeoutMs() : statementTimeoutMs);
  }

  /**
   * A small pool of the platform database for one feature's own bookkeeping (file storage's quota reservations),
   * so that work holding one of its connections can still take a tenant connection from the event loop's share
   * without waiting on itself.
   */
  public Pool platformSide(String applicationName, int size) {
    return build(new DbTarget(config.dbHost(), config.dbPort(), config.dbName()), size, applicationName,
      config.dbStatementTimeoutMs());
  }

  private Pool build(DbTarget target, int size, String applicationName, int statementTimeoutMs) {
    boolean pooler = config.ops().serverSidePooler();
    PgConnectOptions connect = new PgConnectOptions()
      .setHost(target.host())
      .setPort(target.port())
      .setDatabase(target.database())
      .setUser(config.appRole())
      .setCachePreparedStatements(!pooler && config.dbStatementCacheSize() > 0)
      .setPreparedStatementCacheMaxSize(Math.max(1, config.dbStatementCacheSize()))
      .setPreparedStatementCacheSqlFilter(statementCache) // schema tenants: a bounded resident set
      // Behind a transaction-mode pooler without prepared-statement support (PgBouncer < 1.21) a statement's
      // Parse and its Bind/Execute must reach the same server connection: the layer-7 mode sends the unnamed
      // statement's Parse again with its Bind and Execute before one Sync, the unit the pooler keeps on one server
      // connection. One command in flight, so the pooler (1.18 does not count outstanding Syncs) never hands the
      // server connection on while a second unit is still on its way.
      .setUseLayer7Proxy(pooler)
      .setPipeliningLimit(pooler ? 1 : 256)
      .addProperty("application_name", applicationName)
      .addProperty("statement_timeout", Integer.toString(statementTimeoutMs))
      .addProperty("idle_in_transaction_session_timeout", Integer.toString(config.dbIdleInTransactionTimeoutMs()));
    if (!config.dbAppPassword().isEmpty()) {
      connect.setPassword(config.dbAppPassword());
    }
    PoolOptions options = new PoolOptions()
      .setMaxSize(size)
      .setConnectionTimeout(config.dbConnectTimeoutMs())
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    // A server that does not answer (down host, dropped packets) fails the attempt within the connect timeout, not
    // the TCP default of a minute: the pool's acquire timeout alone would leave the attempt running.
    io.vertx.core.net.NetClientOptions net = new io.vertx.core.net.NetClientOptions()
      .setConnectTimeout(config.dbConnectTimeoutMs());
    return PgBuilder.pool().with(options).with(net).connectingTo(connect).using(vertx).build();
  }
}
