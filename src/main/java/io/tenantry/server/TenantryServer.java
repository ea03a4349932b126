package io.tenantry.server;

import io.tenantry.admin.TenantAdminEndpoints;
import io.tenantry.auth.Authenticator;
import io.tenantry.auth.JwtKeys;
import io.tenantry.auth.Passwords;
import io.tenantry.auth.TokenEndpoint;
import io.tenantry.auth.Tokens;
import io.tenantry.cluster.ClusterLocks;
import io.tenantry.cluster.Node;
import io.tenantry.config.Config;
import io.tenantry.db.DatabaseBootstrap;
import io.tenantry.health.Draining;
import io.tenantry.health.Readiness;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.records.RecordStore;
import io.tenantry.tenant.TenantDb;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantResolution;
import io.tenantry.tenant.TenantSources;
import io.tenantry.tenant.TenantStore;
import io.tenantry.users.BootstrapAdmin;
import io.tenantry.users.UserStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Boots the server on a node: prepares the database (worker thread), creates the shared services once, deploys
 * one HttpVerticle per event loop, and on stop drains, stops HTTP gracefully and closes its pools. The node
 * (Vert.x, cluster membership) belongs to the caller, who closes it afterwards — leaving the cluster last, so a
 * lock this node holds is not released while its work could still be running.
 */
public final class TenantryServer {
  private final Node node;
  private final Pool pool;
  private final Redis redis;
  private final Platform platform;
  private final String deploymentId;

  private TenantryServer(Node node, Pool pool, Redis redis, Platform platform, String deploymentId) {
    this.node = node;
    this.pool = pool;
    this.redis = redis;
    this.platform = platform;
    this.deploymentId = deploymentId;
  }

  /** The shared services, for tests that build a router of their own. */
  Platform platform() {
    return platform;
  }

  /** A standalone server on {@code vertx}. */
  public static Future<TenantryServer> start(Vertx vertx, Config config) {
    return start(Node.standalone(vertx), config);
  }

  public static Future<TenantryServer> start(Node node, Config config) {
    // The bootstrap keeps its PostgreSQL advisory lock: it runs before the node joins anything (and for
    // `migrate`, with no cluster at all), and the database is the one thing every node shares for sure.
    return node.vertx().executeBlocking(() -> {
      new DatabaseBootstrap(config).run();
      return JwtKeys.load(config);
    }).compose(keys -> wire(node, config, keys));
  }

  private static Future<TenantryServer> wire(Node node, Config config, JwtKeys keys) {
    Vertx vertx = node.vertx();
    Pool pool = runtimePool(vertx, config);
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl()).setMaxPoolSize(8));
    RedisAPI redisApi = RedisAPI.api(redis);

    Passwords passwords = new Passwords(config.passwordIterations());
    Tokens tokens = new Tokens(vertx, keys, config.jwtIssuer(), config.tokenTtlSeconds());
    TenantStore tenantStore = new TenantStore(pool);
    TenantRegistry registry = new TenantRegistry(tenantStore, config.tenantCacheTtlSeconds());
    UserStore users = new UserStore(pool);

    Future<ApiContract.Loaded> api = ApiContract.load(vertx);
    Future<Void> admin = new BootstrapAdmin(vertx, config, users, passwords).ensure();
    Future<Void> listening = registry.listen(vertx.eventBus());
    // A notice published while the member list changed (a node dying, a split healing) may never arrive.
    node.membership().onChange(registry::evictAll);
    Draining draining = new Draining();

    return Future.all(api, admin, listening)
      .map(ready -> new Platform(
        config,
        api.result().contract(),
        api.result().document(),
        Readiness.create(vertx, pool, redisApi, node.membership(), config.cluster().minMembers(), draining),
        draining,
        new Authenticator(tokens),
        new TenantResolution(new TenantSources(config.baseDomain()), registry),
        new TokenEndpoint(vertx, users, registry, passwords, tokens),
        new TenantAdminEndpoints(vertx, tenantStore, registry, users, passwords),
        new RecordEndpoints(new TenantDb(pool), new RecordStore())))
      .compose(platform -> vertx.deployVerticle(() -> new HttpVerticle(platform),
          new DeploymentOptions().setInstances(instances(config)))
        .map(id -> new TenantryServer(node, pool, redis, platform, id)))
      .onFailure(e -> {
        pool.close();
        redis.close();
      });
  }

  private static Pool runtimePool(Vertx vertx, Config config) {
    PgConnectOptions connect = new PgConnectOptions()
      .setHost(config.dbHost())
      .setPort(config.dbPort())
      .setDatabase(config.dbName())
      .setUser(config.appRole())
      .setCachePreparedStatements(true)
      .setPipeliningLimit(256)
      .addProperty("application_name", "tenantry");
    if (!config.dbAppPassword().isEmpty()) {
      connect.setPassword(config.dbAppPassword());
    }
    PoolOptions pool = new PoolOptions()
      .setMaxSize(config.dbPoolSize())
      .setConnectionTimeout(config.dbConnectTimeoutMs())
      .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
      .setShared(false);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  private Future<Void> drainDelay() {
    int ms = platform.config().shutdownDrainMs();
    if (ms == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> waited = Promise.promise();
    node.vertx().setTimer(ms, id -> waited.complete());
    return waited.future();
  }

  private static int instances(Config config) {
    return config.httpInstances() > 0 ? config.httpInstances() : Runtime.getRuntime().availableProcessors();
  }

  public Node node() {
    return node;
  }

  /** Cluster-wide locks for once-only work (standalone: node-local). */
  public ClusterLocks locks() {
    return node.locks();
  }

  /**
   * Graceful stop: readiness turns 503 and responses carry "Connection: close" for shutdown.drain-ms (load
   * balancers move away, clients drop keep-alive connections), then the HTTP servers stop accepting and give
   * in-flight requests shutdown.timeout-ms, then the pools close.
   */
  public Future<Void> stop() {
    platform.draining().begin();
    return drainDelay()
      .compose(v -> node.vertx().undeploy(deploymentId))
      .eventually(pool::close)
      .eventually(() -> {
        redis.close();
        return Future.succeededFuture();
      });
  }
}
