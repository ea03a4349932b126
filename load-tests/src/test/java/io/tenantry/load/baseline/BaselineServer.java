package io.tenantry.load.baseline;

import io.tenantry.auth.Authenticator;
import io.tenantry.auth.JwtKeys;
import io.tenantry.auth.Tokens;
import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.db.DatabaseBootstrap;
import io.tenantry.pool.LoopAffinePool;
import io.tenantry.pool.PoolFactory;
import io.tenantry.server.ApiContract;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.sql.Connection;
import java.sql.SQLException;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The single-tenant baseline of the overhead benchmark ({@link BaselineMain}, started by load-tests/overhead.sh
 * against the server's jar): the project's own
 * HTTP stack, JWT verification ({@link Tokens}, {@link Authenticator}), JSON and problem handling and pool
 * ({@link PoolFactory}, the same options) serving records from one plain table. Everything the multi-tenant server
 * adds — tenant resolution, the tenant context transaction, row-level security, per-tenant caps and rate limits —
 * is absent, so the two differ by exactly the multi-tenancy machinery. Not a product feature: a yardstick, which is
 * why it lives in the load-tests module and not in the server's jar.
 */
public final class BaselineServer {
  private final Pool pool;
  private final String deploymentId;
  private final Vertx vertx;

  private BaselineServer(Vertx vertx, Pool pool, String deploymentId) {
    this.vertx = vertx;
    this.pool = pool;
    this.deploymentId = deploymentId;
  }

  /**
   * @param sharedTable serve from the multi-tenant server's {@code shared.records} in {@code db.name} through the
   *                    shared tier's statements ({@link BaselineSql#sharedTier()}) instead of the plain table
   */
  public static Future<BaselineServer> start(Vertx vertx, Config config, boolean sharedTable) {
    return vertx.executeBlocking(() -> {
      new DatabaseBootstrap(config).run(); // database and roles, as for the real server
      if (!sharedTable) {
        createTable(config);
      }
      return JwtKeys.load(config);
    }).compose(keys -> {
      LoopAffinePool pool = new PoolFactory(vertx, config).platform();
      Authenticator authenticator = new Authenticator(new Tokens(vertx, keys, config.jwtIssuer(), config.jwtAudience(), config.tokenTtlSeconds()));
      BaselineRecords records = new BaselineRecords(pool, sharedTable ? BaselineSql.sharedTier() : BaselineSql.plain());
      int instances = PoolFactory.httpEventLoops(config);
      return ApiContract.load(vertx)
        .compose(api -> vertx.deployVerticle(() -> new BaselineVerticle(config, api.contract(), authenticator, records, pool),
          new DeploymentOptions().setInstances(instances)))
        .map(id -> new BaselineServer(vertx, pool, id))
        .onFailure(e -> pool.close());
    });
  }

  /** The plain table, owned by the owner role; the runtime role may read and write it (blocking). */
  private static void createTable(Config config) {
    PgUrl target = config.dbAdminUrl().withDatabase(config.dbName());
    try (Connection c = AdminJdbc.connect(target)) {
      AdminJdbc.execute(c, "SET ROLE " + quoteIdent(config.ownerRole()));
      AdminJdbc.execute(c, BaselineRecords.DDL);
      AdminJdbc.execute(c, "GRANT USAGE ON SCHEMA baseline TO " + quoteIdent(config.appRole()));
      AdminJdbc.execute(c, "GRANT SELECT, INSERT, UPDATE, DELETE ON " + BaselineRecords.TABLE + " TO "
        + quoteIdent(config.appRole()));
    } catch (SQLException e) {
      throw new ConfigException("db.admin-url", "cannot create the baseline table in " + config.dbName() + ": " + e.getMessage());
    }
  }

  public Future<Void> stop() {
    return vertx.undeploy(deploymentId).eventually(pool::close);
  }
}
