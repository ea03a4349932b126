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
import io.tenantry.provisioning.Provisioning;
import io.tenantry.provisioning.ProvisioningEndpoints;
import io.tenantry.provisioning.TenantLifecycle;
import io.tenantry.ratelimit.LimitsStore;
import io.tenantry.templates.TemplateEndpoints;
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
import io.tenantry.mail.OutboxRelay;
import io.tenantry.provisioning.FleetMigrator;
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
import java.util.concurrent.TimeUnit;

/**
 * Boots the server on a node: prepares the database (worker thread), creates the shared services once, deploys
 * one HttpVerticle per event loop, and on stop drains, stops HTTP gracefully and closes its pools. The node
 * (Vert.x, cluster membership) belongs to the caller, who closes it afterwards, leaving the cluster last.
 */
public final class TenantryServer {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(TenantryServer.class);
  private static final long STEP_TIMEOUT_MS = 5_000;

  private final Node node;
  private final Pool pool;
  private final DedicatedPools dedicated;
  private final Redis redis;
  private final RateLimiting rateLimiting;
  private final Platform platform;
  private final String deploymentId;
  private final PasswordHashing passwords;
  private final ApiKeys apiKeys;
  private final OutboxRelay mailRelay;

  private TenantryServer(Node node, Pool pool, DedicatedPools dedicated, Redis redis, Platform platform,
                         String deploymentId, PasswordHashing passwords, ApiKeys apiKeys, OutboxRelay mailRelay) {
    this.apiKeys = apiKeys;
    this.mailRelay = mailRelay;
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

  /** The node's metrics (tests recompute the top tenants at once). */
  public io.tenantry.metrics.Metrics metrics() {
    return platform.metrics();
  }

  // Usage metering: the gauge sampler, run by tests at once rather than on its hourly check
  public io.tenantry.metering.Metering metering() {
    return platform.metering();
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
      LOG.warn("tenancy.max-concurrent-per-tenant ({}) is not below the "
          + "smallest event-loop share of db.pool-size ({} connections): one tenant can hold all of that loop's "
          + "connections; raise db.pool-size or lower the cap", cap, pool.smallestShare());
    }
    TenantPools tenantPools = new TenantPools(pool, ConcurrencyCaps.started(vertx, cap, config.queueTimeoutMs()), dedicated,
      new io.tenantry.pool.ServerBreakers(vertx, config.serverBreaker().maxFailures(), config.serverBreaker().resetMs(),
        config.serverBreaker().windowMs())); // faults: a tenant database server that is down fails its tenants fast
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl()).setMaxPoolSize(8));
    RedisAPI redisApi = RedisAPI.api(redis);

    PasswordHashing passwords = new PasswordHashing(vertx, new Passwords(config.passwordIterations()),
      config.login().hashThreads(), config.login().hashQueue());
    TenantStore tenantStore = new TenantStore(pool);
    TenantRegistry registry = new TenantRegistry(tenantStore, config.tenantCacheTtlSeconds());
    // Online moves: this node's write gates, read by the data plane (one volatile read when no move is running)
    io.tenantry.relocation.WriteGates writeGates = new io.tenantry.relocation.WriteGates(vertx);
    io.tenantry.idp.ExternalTokens externalTokens = new io.tenantry.idp.ExternalTokens(vertx, config.externalIssuers(), registry);
    Future<Void> externalKeys = externalTokens.start();
    Tokens tokens = new Tokens(vertx, keys, config.jwtIssuer(), config.jwtAudience(), config.tokenTtlSeconds(), externalTokens);
    UserStore users = new UserStore(pool);
    TenantProvisioner provisioner = new TenantProvisioner(config);
    TenantLifecycle lifecycle = new TenantLifecycle(vertx, tenantStore, registry, provisioner, dedicated,
      new TenantRedisKeys(vertx, redisApi, config.redisKeyPrefix()));

    Future<ApiContract.Loaded> api = ApiContract.load(vertx);
    Future<PasswordPolicy> policy = PasswordPolicy.load(vertx, config.users().passwordMinLength());
    Future<Void> admin = policy.compose(rules -> new BootstrapAdmin(config, users, passwords, rules).ensure());
    Outbox outbox = new Outbox(config.profile() != Config.Profile.PROD);
    OutboxRelay mailRelay = OutboxRelay.of(vertx, pool, config.mail());
    Future<Void> listening = registry.listen(vertx); // and drops expired tenants every TTL
    // A notice published while the member list changed (a node dying, a split healing) may never arrive.
    node.membership().onChange(registry::evictAll);
    ApiKeys apiKeys = new ApiKeys(pool);
    Future<Void> keysListening = apiKeys.start(vertx);
    node.membership().onChange(apiKeys::evictAll);
    Draining draining = new Draining();
    Future<RateLimiting> rateLimiting = RateLimiting.start(vertx, config, pool, tenantStore, registry, liveNodes(node, config));
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

    // Usage metering (docs/billing.md): counted by the gate, flushed by this node, stored at stop.
    io.tenantry.metering.Metering metering = io.tenantry.metering.Metering.create(vertx, config, pool, registry,
      tenantStore, tenantDb);
    io.tenantry.billing.Billing billing = io.tenantry.billing.Billing.create(vertx, config, pool, registry,
      metering.meter().node());

    return Future.all(List.of(api, admin, listening, rateLimiting, settings, collectionSchemas, keysListening,
        sessions, customDomains, idempotentCreation, externalKeys))
      .map(ready -> {
        io.tenantry.audit.Audit audit = io.tenantry.audit.Audit.create(vertx, config, tenantDb, registry, pool,
          settings.result().cache());
        Invitations invitations = new Invitations(users, passwords, outbox, policy.result());
        LimitsStore limitsStore = new LimitsStore(pool);
        Provisioning provisioning = new Provisioning(vertx, pool, tenantStore, registry, provisioner, lifecycle,
          new Provisioning.StepServices(settings.result().store(), collectionSchemas.result().seeding(), tenantDb,
            recordStore, limitsStore, rateLimiting.result().limits(), invitations));
        TemplateEndpoints templates = new TemplateEndpoints(pool, settings.result().catalog(),
          collectionSchemas.result().seeding(), limitsStore);
        TenantAdminEndpoints tenantAdmin = new TenantAdminEndpoints(tenantStore, registry, provisioning, templates,
          users, passwords, Isolation.parse(config.defaultIsolation()), invitations,
          policy.result(), settings.result().emailDomains());
        LifecycleEndpoints lifecycleEndpoints = new LifecycleEndpoints(tenantStore, registry, pool,
          config.tenancyDeleteGraceSeconds());
        PasswordResets resets = new PasswordResets(users, passwords, outbox, policy.result(),
          java.time.Duration.ofSeconds(config.users().passwordResetTtlSeconds()));
        io.tenantry.storage.Storage storage = storage(vertx, config, pools, tenantDb, tenantStore, audit, lifecycle,
          settings.result().cache());
        return new Platform(
        config,
        pool,
        api.result().contract(),
        api.result().document(),
        Readiness.create(vertx, pool, redisApi, node.membership(), config.cluster().minMembers(), draining),
        draining,
        Pipeline.create(new Authenticator(tokens, apiKeys), new TenantSources(config.baseDomain(), customDomains.result().map()), registry,
          rateLimiting.result(), draining, config.bodyLimit(), config.jsonMaxDepth(), config.accessLog(),
          config.unknownTenantsPerMinute(), metering, writeGates),
        rateLimiting.result(),
        new TokenEndpoint(users, registry, passwords, new LoginThrottle(config.login()), tokens,
          config.login().refusalDelayMs(), settings.result().tokenTtl(), apiKeys, sessions.result().grants()),
        tenantAdmin,
        new PoolsEndpoint(tenantPools),
        new RecordEndpoints(tenantDb, recordStore, collectionSchemas.result().check(), audit.sealer()),
        new MembershipEndpoints(tenantAdmin, pool, new MembershipStore()),
        new MeEndpoint(pool, new MembershipStore()),
        new PasswordResetEndpoint(resets, new LoginThrottle(config.login())),
        settings.result(),
        collectionSchemas.result().endpoints(),
        new ApiKeyEndpoints(apiKeys, tenantStore),
        new HierarchyEndpoints(new TenantTree(pool, config.tenancyMaxDepth()), registry, tenantAdmin,
          Isolation.parse(config.defaultIsolation())),
        sessions.result(),
        customDomains.result(),
        idempotentCreation.result(),

        lifecycleEndpoints,
        new TenantPurge(vertx, lifecycleEndpoints, tenantStore, lifecycle,
          config.dbAdminUrl().withDatabase(config.dbName()), config.tenancyDeleteGraceSeconds()),

        provisioning,
        new ProvisioningEndpoints(tenantStore, provisioning),
        templates,
        externalTokens,
        new io.tenantry.admin.ImpersonationEndpoint(registry, users, tokens, settings.result().cache(),
          config.impersonationTtlSeconds()),
        audit,
        new io.tenantry.admin.TenantSearchEndpoints(new io.tenantry.tenant.TenantSearch(pool), registry),
        new io.tenantry.queries.QueryEndpoint(registry, new io.tenantry.tenant.TenantSearch(pool), tenantStore,
          new TenantTree(pool, config.tenancyMaxDepth()), tenantDb, config.queries().concurrency(),
          config.queries().tenantTimeoutMs(), metering.meter()),

        // Tenant export and import: blocking JDBC COPY and tar IO on a worker pool of their own
        io.tenantry.export.TenantTransfer.create(vertx, config, pool, tenantStore, registry, provisioner, storage.blobs(),
          lifecycle),
        // File storage: its endpoints, sweeper, and the purge of a deleted tenant's files
        storage,
        // records bulk writes and change feed
        new io.tenantry.records.batch.BatchEndpoint(
          new io.tenantry.records.batch.BatchWriter(tenantDb, collectionSchemas.result().check()),
          rateLimiting.result().limits(), rateLimiting.result().limiter(), audit.sealer()),
        new io.tenantry.records.changes.ChangeEndpoint(new io.tenantry.records.changes.ChangeLog(tenantDb), draining),
        // record queries (filters, sorts, cursors) and declared collection indexes
        new io.tenantry.records.query.RecordListEndpoint(new io.tenantry.records.query.RecordQueries(tenantDb,
          new io.tenantry.records.query.CursorSigner(keys.privatePem().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          config.recordQueries().maxRowsScanned(), config.recordQueries().countExactLimit())),
        io.tenantry.records.indexes.IndexEndpoints.create(vertx, config, pool, tenantStore),
        metering,
        billing,
        // Operations: metrics
        io.tenantry.metrics.Metrics.start(vertx, node.metrics(), config.metrics(), pool, tenantPools,
          rateLimiting.result(), registry, node.membership()),
        // Online moves between tiers and servers: jobs on a worker pool of their own, write gates on every node
        io.tenantry.relocation.TenantRelocation.create(vertx, config, pool, tenantStore, registry, provisioner,
          node.membership(), writeGates));
      })
      .onSuccess(platform -> platform.storage().start())
      .onSuccess(platform -> platform.purge().start())
      .onSuccess(platform -> platform.audit().start())
      .onSuccess(platform -> mailRelay.start())
      .onSuccess(platform -> platform.provisioning().resumeUnfinished())
      .onSuccess(platform -> migrateTenantsInBackground(vertx, config))
      .onSuccess(platform -> platform.transfer().start()) // tenant export: orphaned jobs, expiry sweep (logs its failure)
      .onSuccess(platform -> platform.recordIndexes().builder().resumeUnfinished())
      .onSuccess(platform -> platform.metering().start())
      .onSuccess(platform -> platform.billing().start())
      .compose(platform -> platform.relocation().start().map(platform)) // online moves: gates listen, interrupted moves cleaned
      .compose(platform -> vertx.deployVerticle(() -> new HttpVerticle(platform),
          new DeploymentOptions().setInstances(instances(config)))
        .map(id -> new TenantryServer(node, pool, dedicated, redis, platform, id, passwords, apiKeys, mailRelay)))
      .onFailure(e -> {
        externalTokens.stop();
        apiKeys.stop();
        mailRelay.stop();
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

  /** File storage; a purged tenant's files go with it. */
  private static io.tenantry.storage.Storage storage(Vertx vertx, Config config, PoolFactory pools, TenantDb tenantDb,
                                                     TenantStore tenantStore, io.tenantry.audit.Audit audit,
                                                     TenantLifecycle lifecycle,
                                                     io.tenantry.settings.EffectiveConfigCache tenantSettings) {
    io.tenantry.storage.Storage storage = io.tenantry.storage.Storage.create(vertx, config,
      pools.platformSide("tenantry-storage", io.tenantry.storage.Storage.POOL_SIZE), tenantDb, tenantStore,
      audit.sealer(), tenantSettings);
    lifecycle.removeFilesWith(storage::removeTenant);
    return storage;
  }

  /**
   * A shutdown step that may not hold the rest of the shutdown (closing the pools, Redis) for longer than
   * {@link #STEP_TIMEOUT_MS}: past it the step is abandoned with a warning, and the shutdown goes on.
   */
  private Future<Void> bounded(Future<?> step, String what) {
    return step.<Void>mapEmpty().timeout(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(e -> {
      LOG.warn("shutdown: {} did not finish: {}", what, e.getMessage());
      return Future.succeededFuture();
    });
  }

  /**
   * After an upgrade that adds tenant migrations, the fleet is brought up to date without an operator's `migrate`:
   * on a worker thread (JDBC and Flyway block), after the server listens, so a large fleet delays no start.
   */
  private static void migrateTenantsInBackground(Vertx vertx, Config config) {
    if (!config.migrateOnStart()) {
      return;
    }
    vertx.executeBlocking(() -> new FleetMigrator(config).migrateAll(), false)
      .onSuccess(report -> {
        if (report.migrated() > 0 || !report.failed().isEmpty() || report.busy() > 0) {
          LOG.info("tenant migrations at start: {} migrated, {} busy elsewhere, {} failed (migrate --status shows them)",
            report.migrated(), report.busy(), report.failed().size());
        }
      })
      .onFailure(e -> LOG.warn("tenant migrations at start did not run: {}", e.getMessage()));
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
      .eventually(() -> bounded(platform.provisioning().close(), "closing the provisioning workers"))
      .eventually(() -> bounded(platform.transfer().stop(), "closing the export and import workers"))
      .eventually(() -> bounded(platform.recordIndexes().builder().close(), "closing the index builders"))
      .eventually(() -> bounded(platform.relocation().stop(), "closing the move workers"))
      .eventually(() -> {
        platform.purge().stop();
        platform.storage().stop(); // file storage: sweeper and its worker executor
        mailRelay.stop();
        platform.externalTokens().stop();
        apiKeys.stop();
        platform.sessions().stop();
        return Future.succeededFuture();
      })
      // stores what is queued while the pools are still open
      .eventually(() -> bounded(platform.audit().stop(), "storing the queued audit entries"))
      .eventually(() -> {
        platform.billing().stop();
        return bounded(platform.metering().stop(), "storing the usage counted");
      })
      .eventually(() -> bounded(rateLimiting.close(), "closing the rate limiter"))
      .eventually(() -> {
        platform.settings().stop();
        platform.customDomains().stop();
        return Future.succeededFuture();
      })
      .eventually(() -> bounded(dedicated.closeAll(), "closing the database-tier pools"))
      .eventually(() -> bounded(platform.metrics().stop(), "stopping the metrics"))
      .eventually(() -> bounded(pool.close(), "closing the platform pool"))
      .eventually(passwords::close)
      .eventually(() -> {
        redis.close();
        return Future.succeededFuture();
      });
  }
}
