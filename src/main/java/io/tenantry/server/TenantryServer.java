package io.tenantry.server;

import io.tenantry.admin.HierarchyEndpoints;
import io.tenantry.admin.TenantAdminEndpoints;
import io.tenantry.apikeys.ApiKeyEndpoints;
import io.tenantry.apikeys.ApiKeys;
import io.tenantry.auth.Authenticator;
import io.tenantry.auth.JwtKeys;
import io.tenantry.auth.LoginThrottle;
import io.tenantry.users.PasswordHashing;
import io.tenantry.users.Passwords;
import io.tenantry.auth.TokenEndpoint;
import io.tenantry.auth.Tokens;
import io.tenantry.sessions.Sessions;
import io.tenantry.cluster.LiveNodes;
import io.tenantry.cluster.Node;
import io.tenantry.config.Config;
import io.tenantry.db.DatabaseBootstrap;
import io.tenantry.admin.PoolsEndpoint;
import io.tenantry.health.Draining;
import io.tenantry.health.Readiness;
import io.tenantry.pipeline.Pipeline;
import io.tenantry.pool.ConcurrencyCaps;
import io.tenantry.pool.DedicatedPools;
import io.tenantry.pool.LoopAffinePool;
import io.tenantry.pool.PoolFactory;
import io.tenantry.pool.TenantPools;
import io.tenantry.lifecycle.LifecycleEndpoints;
import io.tenantry.lifecycle.TenantPurge;
import io.tenantry.provisioning.TenantLifecycle;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.provisioning.TenantRedisKeys;
import io.tenantry.ratelimit.RateLimiting;
import io.tenantry.tenant.Isolation;
import io.tenantry.colschema.CollectionSchemas;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.records.RecordStore;
import io.tenantry.settings.TenantPathAncestors;
import io.tenantry.settings.Settings;
import io.tenantry.data.TenantDb;
import io.tenantry.domains.CustomDomains;
import io.tenantry.idempotency.Idempotency;
import io.tenantry.idempotency.IdempotentCreation;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantSources;
import io.tenantry.tenant.TenantStore;
import io.tenantry.tenant.TenantTree;
import io.tenantry.users.BootstrapAdmin;
import io.tenantry.users.Invitations;
import io.tenantry.users.MembershipStore;
import io.tenantry.users.Outbox;
import io.tenantry.users.PasswordPolicy;
import io.tenantry.users.PasswordResets;
import io.tenantry.admin.MembershipEndpoints;
import io.tenantry.auth.MeEndpoint;
import io.tenantry.auth.PasswordResetEndpoint;
import io.tenantry.users.UserStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Boots the server on a node: prepares the database (worker thread), creates the shared services once, deploys
 * one HttpVerticle per event loop, and on stop drains, stops HTTP gracefully and closes its pools. The node
 * (Vert.x, cluster membership) belongs to the caller, who closes it afterwards, leaving the cluster last.
 */
public final class TenantryServer {
  private final Node node;
  private final Pool pool;
  private final DedicatedPools dedicated;
  private final Redis redis;
  private final RateLimiting rateLimiting;
  private final Platform platform;
  private final String deploymentId;
  private final PasswordHashing passwords;
  private final ApiKeys apiKeys;

  private TenantryServer(Node node, Pool pool, DedicatedPools dedicated, Redis redis, Platform platform,
                         String deploymentId, PasswordHashing passwords, ApiKeys apiKeys) {
    this.apiKeys = apiKeys;
    this.node = node;
    this.pool = pool;
    this.dedicated = dedicated;
    this.redis = redis;
    this.rateLimiting = platform.rateLimiting();
    this.platform = platform;
    this.deploymentId = deploymentId;
    this.passwords = passwords;
  }

  /** The shared services, for tests that build a router of their own. */
  Platform platform() {
    return platform;
  }

  /** The node's rate limiting, for its counters and breaker (tests, and the metrics endpoint to come). */
  public RateLimiting rateLimiting() {
    return rateLimiting;
  }

  /** A standalone server on {@code vertx}. */
  public static Future<TenantryServer> start(Vertx vertx, Config config) {
    return start(Node.standalone(vertx), config);
  }

  public static Future<TenantryServer> start(Node node, Config config) {
    // The bootstrap keeps its PostgreSQL advisory lock: it runs before the node joins anything (and for
    // `migrate`, with no cluster at all), and the database is the one thing every node shares for sure.
    return node.vertx().executeBlocking(() -> {
      JwtKeys keys = JwtKeys.load(config); // bad configuration refuses the start before anything is created
      StartupChecks.adminAccount(config);
      new DatabaseBootstrap(config).run();
      return keys;
    }).compose(keys -> wire(node, config, keys));
  }

  private static Future<TenantryServer> wire(Node node, Config config, JwtKeys keys) {
    Vertx vertx = node.vertx();
    PoolFactory pools = new PoolFactory(vertx, config);
    LoopAffinePool pool = pools.platform();
    DedicatedPools dedicated = new DedicatedPools(vertx, pools,
      (config.dbConnectionBudget() - config.dbPoolSize()) / config.dedicatedPoolSize(), config.dedicatedPoolIdleSeconds());
    int cap = config.maxConcurrentPerTenant();
    if (!ConcurrencyCaps.leavesRoomOnEveryLoop(cap, pool.smallestShare())) {
      LoggerFactory.getLogger(TenantryServer.class).warn("tenancy.max-concurrent-per-tenant ({}) is not below the "
          + "smallest event-loop share of db.pool-size ({} connections): one tenant can hold all of that loop's "
          + "connections; raise db.pool-size or lower the cap", cap, pool.smallestShare());
    }
    TenantPools tenantPools = new TenantPools(pool, new ConcurrencyCaps(vertx, cap, config.queueTimeoutMs()), dedicated);
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl()).setMaxPoolSize(8));
    RedisAPI redisApi = RedisAPI.api(redis);

    PasswordHashing passwords = new PasswordHashing(vertx, new Passwords(config.passwordIterations()),
      config.login().hashThreads(), config.login().hashQueue());
    Tokens tokens = new Tokens(vertx, keys, config.jwtIssuer(), config.jwtAudience(), config.tokenTtlSeconds());
    TenantStore tenantStore = new TenantStore(pool);
    TenantRegistry registry = new TenantRegistry(tenantStore, config.tenantCacheTtlSeconds());
    UserStore users = new UserStore(pool);
    TenantLifecycle lifecycle = new TenantLifecycle(vertx, tenantStore, registry, new TenantProvisioner(config), dedicated,
      new TenantRedisKeys(vertx, redisApi, config.redisKeyPrefix()));

    Future<ApiContract.Loaded> api = ApiContract.load(vertx);
    Future<PasswordPolicy> policy = PasswordPolicy.load(vertx, config.users().passwordMinLength());
    Future<Void> admin = policy.compose(rules -> new BootstrapAdmin(config, users, passwords, rules).ensure());
    Outbox outbox = new Outbox(config.profile() != Config.Profile.PROD);
    Future<Void> listening = registry.listen(vertx.eventBus());
    // A notice published while the member list changed (a node dying, a split healing) may never arrive.
    node.membership().onChange(registry::evictAll);
    ApiKeys apiKeys = new ApiKeys(pool);
    Future<Void> keysListening = apiKeys.start(vertx);
    node.membership().onChange(apiKeys::evictAll);
    Draining draining = new Draining();
    Future<RateLimiting> rateLimiting = RateLimiting.start(vertx, config, pool, tenantStore, liveNodes(node, config));
    Future<Settings> settings = Settings.start(vertx, pool, registry, new TenantPathAncestors(registry), config.tokenTtlSeconds())
      .onSuccess(started -> node.membership().onChange(started.cache()::evictAll));
    Future<Sessions> sessions = settings.compose(started -> Sessions.start(vertx, pool, tokens, registry,
        started.tokenTtl(), config.refreshTtlSeconds()))
      .onSuccess(started -> node.membership().onChange(started::reload));

    TenantDb tenantDb = new TenantDb(tenantPools,
      TenantDb.ContextMode.valueOf(config.dbTenantContext().toUpperCase(java.util.Locale.ROOT)));
    RecordStore recordStore = new RecordStore();
    Future<CollectionSchemas> collectionSchemas = vertx.executeBlocking(() ->
        CollectionSchemas.create(vertx, pool, tenantStore, registry, tenantDb, recordStore))
      .compose(schemas -> schemas.listen(vertx).map(schemas));

    Future<CustomDomains> customDomains = CustomDomains.start(vertx, pool, tenantStore, config.baseDomain())
      .onSuccess(started -> node.membership().onChange(started.map()::reload));

    Future<IdempotentCreation> idempotentCreation = Idempotency.start(pool, config.idempotencyTtlSeconds());

    return Future.all(List.of(api, admin, listening, rateLimiting, settings, collectionSchemas, keysListening,
        sessions, customDomains, idempotentCreation))
      .map(ready -> {
        TenantAdminEndpoints tenantAdmin = new TenantAdminEndpoints(tenantStore, registry, lifecycle, users, passwords,
          Isolation.parse(config.defaultIsolation()), new Invitations(users, passwords, outbox, policy.result()),
          policy.result(), settings.result().emailDomains());
        LifecycleEndpoints lifecycleEndpoints = new LifecycleEndpoints(tenantStore, registry, pool,
          config.tenancyDeleteGraceSeconds());
        PasswordResets resets = new PasswordResets(users, passwords, outbox, policy.result(),
          java.time.Duration.ofSeconds(config.users().passwordResetTtlSeconds()));
        return new Platform(
        config,
        pool,
        api.result().contract(),
        api.result().document(),
        Readiness.create(vertx, pool, redisApi, node.membership(), config.cluster().minMembers(), draining),
        draining,
        Pipeline.create(new Authenticator(tokens, apiKeys), new TenantSources(config.baseDomain(), customDomains.result().map()), registry,
          rateLimiting.result(), draining, config.bodyLimit(), config.jsonMaxDepth(), config.accessLog(),
          config.unknownTenantsPerMinute()),
        rateLimiting.result(),
        new TokenEndpoint(users, registry, passwords, new LoginThrottle(config.login()), tokens,
          config.login().refusalDelayMs(), settings.result().tokenTtl(), apiKeys, sessions.result().grants()),
        tenantAdmin,
        new PoolsEndpoint(tenantPools),
        new RecordEndpoints(tenantDb, recordStore, collectionSchemas.result().check()),
        new MembershipEndpoints(tenantAdmin, pool, new MembershipStore()),
        new MeEndpoint(pool, new MembershipStore()),
        new PasswordResetEndpoint(resets, new LoginThrottle(config.login())),
        settings.result(),
        collectionSchemas.result().endpoints(),
        new ApiKeyEndpoints(apiKeys, tenantStore),
        new HierarchyEndpoints(new TenantTree(pool, config.tenancyMaxDepth()), registry, lifecycle,
          Isolation.parse(config.defaultIsolation())),
        sessions.result(),
        customDomains.result(),
        idempotentCreation.result(),

        lifecycleEndpoints,
        new TenantPurge(vertx, lifecycleEndpoints, tenantStore, lifecycle,
          config.dbAdminUrl().withDatabase(config.dbName()), config.tenancyDeleteGraceSeconds()),

        new io.tenantry.admin.TenantSearchEndpoints(new io.tenantry.tenant.TenantSearch(pool), registry),
        new io.tenantry.queries.QueryEndpoint(registry, new io.tenantry.tenant.TenantSearch(pool), tenantStore,
          new TenantTree(pool, config.tenancyMaxDepth()), tenantDb, config.queries().concurrency(),
          config.queries().tenantTimeoutMs()));
      })
      .onSuccess(platform -> platform.purge().start())
      .compose(platform -> vertx.deployVerticle(() -> new HttpVerticle(platform),
          new DeploymentOptions().setInstances(instances(config)))
        .map(id -> new TenantryServer(node, pool, dedicated, redis, platform, id, passwords, apiKeys)))
      .onFailure(e -> {
        apiKeys.stop();
        if (sessions.succeeded()) {
          sessions.result().stop();
        }
        if (rateLimiting.succeeded()) {
          rateLimiting.result().close();
        }
        if (settings.succeeded()) {
          settings.result().stop();
        }
        if (customDomains.succeeded()) {
          customDomains.result().stop();
        }
        dedicated.closeAll();
        pool.close();
        redis.close();
        passwords.close();
      });
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

  /**
   * Nodes sharing the rate limits, by which each divides a tenant's limit while Redis is down: the live members
   * when clustered, else the configured ratelimit.nodes (unclustered nodes behind one load balancer cannot see
   * each other).
   */
  private static LiveNodes liveNodes(Node node, Config config) {
    return node.membership().clustered() ? node.membership() : () -> config.rateLimit().nodes();
  }

  private static int instances(Config config) {
    return PoolFactory.httpEventLoops(config);
  }

  public Node node() {
    return node;
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
      .eventually(() -> {
        platform.purge().stop();
        apiKeys.stop();
        platform.sessions().stop();
        return Future.succeededFuture();
      })
      .eventually(rateLimiting::close)
      .eventually(() -> {
        platform.settings().stop();
        platform.customDomains().stop();
        return Future.succeededFuture();
      })
      .eventually(dedicated::closeAll)
      .eventually(pool::close)
      .eventually(passwords::close)
      .eventually(() -> {
        redis.close();
        return Future.succeededFuture();
      });
  }
}
