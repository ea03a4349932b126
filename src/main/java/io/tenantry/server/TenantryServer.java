package io.tenantry.server;

import io.tenantry.admin.TenantAdminEndpoints;
import io.tenantry.auth.Authenticator;
import io.tenantry.auth.JwtKeys;
import io.tenantry.auth.Passwords;
import io.tenantry.auth.TokenEndpoint;
import io.tenantry.auth.Tokens;
import io.tenantry.config.Config;
import io.tenantry.db.DatabaseBootstrap;
import io.tenantry.admin.PoolsEndpoint;
import io.tenantry.health.Readiness;
import io.tenantry.pool.ConcurrencyCaps;
import io.tenantry.pool.DedicatedPools;
import io.tenantry.pool.PoolFactory;
import io.tenantry.pool.TenantPools;
import io.tenantry.provisioning.TenantLifecycle;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.ratelimit.LiveNodes;
import io.tenantry.ratelimit.RateLimiting;
import io.tenantry.tenant.Isolation;
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
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;

/**
 * Boots a node: prepares the database (worker thread), creates the shared services once, deploys one
 * HttpVerticle per event loop, and closes everything in reverse on stop.
 */
public final class TenantryServer {
  private final Vertx vertx;
  private final Pool pool;
  private final DedicatedPools dedicated;
  private final Redis redis;
  private final RateLimiting rateLimiting;
  private final Platform platform;
  private final String deploymentId;

  private TenantryServer(Vertx vertx, Pool pool, DedicatedPools dedicated, Redis redis, Platform platform,
                         String deploymentId) {
    this.vertx = vertx;
    this.pool = pool;
    this.dedicated = dedicated;
    this.redis = redis;
    this.rateLimiting = platform.rateLimiting();
    this.platform = platform;
    this.deploymentId = deploymentId;
  }

  /** The shared services, for tests that build a router of their own. */
  Platform platform() {
    return platform;
  }

  /** The node's rate limiting, for its counters and breaker (tests, and the metrics endpoint to come). */
  public RateLimiting rateLimiting() {
    return rateLimiting;
  }

  public static Future<TenantryServer> start(Vertx vertx, Config config) {
    return vertx.executeBlocking(() -> {
      new DatabaseBootstrap(config).run();
      return JwtKeys.load(config);
    }).compose(keys -> wire(vertx, config, keys));
  }

  private static Future<TenantryServer> wire(Vertx vertx, Config config, JwtKeys keys) {
    PoolFactory pools = new PoolFactory(vertx, config);
    Pool pool = pools.platform();
    DedicatedPools dedicated = new DedicatedPools(vertx, pools,
      (config.dbConnectionBudget() - config.dbPoolSize()) / config.dedicatedPoolSize(), config.dedicatedPoolIdleSeconds());
    TenantPools tenantPools = new TenantPools(pool,
      new ConcurrencyCaps(vertx, config.maxConcurrentPerTenant(), config.queueTimeoutMs()), dedicated);
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl()).setMaxPoolSize(8));
    RedisAPI redisApi = RedisAPI.api(redis);

    Passwords passwords = new Passwords(config.passwordIterations());
    Tokens tokens = new Tokens(vertx, keys, config.jwtIssuer(), config.tokenTtlSeconds());
    TenantStore tenantStore = new TenantStore(pool);
    TenantRegistry registry = new TenantRegistry(tenantStore, config.tenantCacheTtlSeconds());
    UserStore users = new UserStore(pool);
    TenantLifecycle lifecycle = new TenantLifecycle(vertx, tenantStore, registry, new TenantProvisioner(config), dedicated);

    Future<ApiContract.Loaded> api = ApiContract.load(vertx);
    Future<Void> admin = new BootstrapAdmin(vertx, config, users, passwords).ensure();
    Future<Void> listening = registry.listen(vertx.eventBus());
    // Unclustered, the node count comes from configuration; clustering can pass its live member count instead.
    Future<RateLimiting> rateLimiting = RateLimiting.start(vertx, config, pool, tenantStore,
      LiveNodes.fixed(config.rateLimit().nodes()));

    return Future.all(api, admin, listening, rateLimiting)
      .map(ready -> new Platform(
        config,
        api.result().contract(),
        api.result().document(),
        Readiness.create(vertx, pool, redisApi),
        new Authenticator(tokens),
        new TenantResolution(new TenantSources(config.baseDomain()), registry),
        rateLimiting.result(),
        new TokenEndpoint(vertx, users, registry, passwords, tokens),
        new TenantAdminEndpoints(vertx, tenantStore, registry, lifecycle, users, passwords,
          Isolation.parse(config.defaultIsolation())),
        new PoolsEndpoint(tenantPools),
        new RecordEndpoints(new TenantDb(tenantPools), new RecordStore())))
      .compose(platform -> vertx.deployVerticle(() -> new HttpVerticle(platform),
          new DeploymentOptions().setInstances(instances(config)))
        .map(id -> new TenantryServer(vertx, pool, dedicated, redis, platform, id)))
      .onFailure(e -> {
        if (rateLimiting.succeeded()) {
          rateLimiting.result().close();
        }
        dedicated.closeAll();
        pool.close();
        redis.close();
      });
  }

  private static int instances(Config config) {
    return config.httpInstances() > 0 ? config.httpInstances() : Runtime.getRuntime().availableProcessors();
  }

  public Future<Void> stop() {
    return vertx.undeploy(deploymentId)
      .eventually(rateLimiting::close)
      .eventually(dedicated::closeAll)
      .eventually(pool::close)
      .eventually(() -> {
        redis.close();
        return Future.succeededFuture();
      });
  }
}
