package io.tenantry.pool;

import io.tenantry.config.Config;
import io.tenantry.tenant.DbTarget;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/** Runtime pools, always as the runtime role, with cached prepared statements and pipelining. */
public final class PoolFactory {
  private final Vertx vertx;
  private final Config config;

  public PoolFactory(Vertx vertx, Config config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * The platform pool: control plane, shared- and schema-tier tenants; {@code db.pool-size} connections split into
   * one pool per HTTP event loop.
   */
  public LoopAffinePool platform() {
    DbTarget target = new DbTarget(config.dbHost(), config.dbPort(), config.dbName());
    return new LoopAffinePool(httpEventLoops(config), config.dbPoolSize(), size -> build(target, size, "tenantry"));
  }

  /** How many HTTP verticles (one per event loop) the servers deploy: {@code http.instances}, 0 = one per core. */
  public static int httpEventLoops(Config config) {
    return config.httpInstances() > 0 ? config.httpInstances() : Runtime.getRuntime().availableProcessors();
  }

  /** A database-tier tenant's own pool. */
  public Pool dedicated(DbTarget target) {
    return build(target, config.dedicatedPoolSize(), "tenantry-tenant");
  }

  private Pool build(DbTarget target, int size, String applicationName) {
    PgConnectOptions connect = new PgConnectOptions()
      .setHost(target.host())
      .setPort(target.port())
      .setDatabase(target.database())
      .setUser(config.appRole())
      .setCachePreparedStatements(config.dbStatementCacheSize() > 0)
      .setPreparedStatementCacheMaxSize(Math.max(1, config.dbStatementCacheSize()))
      .setPipeliningLimit(256)
      .addProperty("application_name", applicationName);
    if (!config.dbAppPassword().isEmpty()) {
      connect.setPassword(config.dbAppPassword());
    }
    PoolOptions options = new PoolOptions()
      .setMaxSize(size)
      .setConnectionTimeout(config.dbConnectTimeoutMs())
      .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    return PgBuilder.pool().with(options).connectingTo(connect).using(vertx).build();
  }
}
