package io.tenantry.support;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigLoader;
import io.tenantry.server.TenantryServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Tenantry server for one test class: its own freshly created database (and roles), its own Redis key
 * prefix and data directory, on a free port, against the machine's PostgreSQL and Redis. {@link #close()} stops
 * it and drops the database and roles. {@link #peer()} starts a second node of the same deployment (same
 * database, Redis prefix and JWT keys, its own Vert.x and port); a peer leaves the database to its first node.
 */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_EMAIL = "root@tenantry.test";
  public static final String ADMIN_PASSWORD = "root-password-for-tests";

  public final Config config;
  public final Vertx vertx;
  /** This server's node: its Vert.x is measured into the node's registry, as a production node's is. */
  private final io.tenantry.cluster.Node node;
  public final WebClient http;
  public final Api api;
  private final boolean ownsDatabase;
  private TenantryServer server;

  private TestServer(Config config, boolean ownsDatabase) {
    this.config = config;
    this.ownsDatabase = ownsDatabase;
    this.node = io.tenantry.cluster.Node.standalone();
    this.vertx = node.vertx();
    this.http = WebClient.create(vertx,
      new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(config.httpPort()),
      new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    this.api = new Api(http);
  }

  public static TestServer start() {
    return start(Map.of());
  }

  /** @param overrides configuration keys (as in conf/tenantry.yaml) to set for this server */
  public static TestServer start(Map<String, String> overrides) {
    TestServer ts = new TestServer(config(overrides), true);
    ts.boot();
    return ts;
  }

  /**
   * Another node of this deployment: same configuration (database, Redis URL and prefix, data directory and so
   * JWT keys) but its own port and Vert.x instance — nodes that share no event bus, as unclustered nodes do.
   * Close it before this one.
   */
  public TestServer peer() {
    return peer(Map.of());
  }

  public TestServer peer(Map<String, String> overrides) {
    TestServer peer = new TestServer(peerConfig(overrides), false);
    peer.boot();
    return peer;
  }

  /** The configuration of another node of this deployment, on a free port of its own. */
  public Config peerConfig(Map<String, String> overrides) {
    Map<String, String> flags = new HashMap<>(sameDeployment(config));
    flags.put("http.port", Integer.toString(freePort()));
    flags.putAll(overrides);
    return ConfigLoader.load(null, Map.of(), flags);
  }

  private static Map<String, String> sameDeployment(Config c) {
    Map<String, String> flags = new HashMap<>();
    flags.put("profile", "test");
    flags.put("db.name", c.dbName());
    flags.put("db.admin-url", TestEnv.adminUrl());
    flags.put("db.host", c.dbHost());
    flags.put("db.port", Integer.toString(c.dbPort()));
    flags.put("db.pool-size", Integer.toString(c.dbPoolSize()));
    flags.put("db.connect-timeout-ms", Integer.toString(c.dbConnectTimeoutMs()));
    flags.put("db.connection-budget", Integer.toString(c.dbConnectionBudget()));
    flags.put("db.statement-cache-size", Integer.toString(c.dbStatementCacheSize()));
    flags.put("http.body-limit", Long.toString(c.bodyLimit()));
    flags.put("base-domain", c.baseDomain());
    flags.put("tenancy.cache-ttl-seconds", Integer.toString(c.tenantCacheTtlSeconds()));
    flags.put("tenancy.default-isolation", c.defaultIsolation());
    flags.put("tenancy.max-concurrent-per-tenant", Integer.toString(c.maxConcurrentPerTenant()));
    flags.put("tenancy.queue-timeout-ms", Integer.toString(c.queueTimeoutMs()));
    flags.put("tenancy.dedicated-pool-size", Integer.toString(c.dedicatedPoolSize()));
    flags.put("tenancy.dedicated-pool-idle-seconds", Integer.toString(c.dedicatedPoolIdleSeconds()));
    flags.put("migrate.parallelism", Integer.toString(c.migrateParallelism()));
    flags.put("redis.url", c.redisUrl());
    flags.put("redis.key-prefix", c.redisKeyPrefix());
    flags.put("http.host", c.httpHost());
    flags.put("http.instances", Integer.toString(c.httpInstances()));
    flags.put("http.access-log", Boolean.toString(c.accessLog()));
    flags.put("http.header-timeout-ms", Integer.toString(c.headerTimeoutMs()));
    flags.put("data-dir", c.dataDir().toString());
    flags.put("auth.password-iterations", Integer.toString(c.passwordIterations()));
    flags.put("admin.email", ADMIN_EMAIL);
    flags.put("admin.password", ADMIN_PASSWORD);
    Config.RateLimitSettings rl = c.rateLimit();
    flags.put("ratelimit.nodes", Integer.toString(rl.nodes()));
    flags.put("ratelimit.lease-max", Integer.toString(rl.leaseMax()));
    flags.put("ratelimit.lease-ttl-ms", Integer.toString(rl.leaseTtlMs()));
    flags.put("ratelimit.redis-timeout-ms", Integer.toString(rl.redisTimeoutMs()));
    flags.put("ratelimit.breaker-max-failures", Integer.toString(rl.breakerMaxFailures()));
    flags.put("ratelimit.breaker-reset-ms", Integer.toString(rl.breakerResetMs()));
    flags.put("ratelimit.refresh-ms", Integer.toString(rl.refreshMs()));
    return flags;
  }

  public static Config config(Map<String, String> overrides) {
    return ConfigLoader.load(null, Map.of(), flags(overrides));
  }

  /**
   * The configuration flags of a test server with its own new database, Redis prefix, data directory and free
   * port; several nodes of one test cluster share one such set and differ only in their ports.
   */
  public static Map<String, String> flags(Map<String, String> overrides) {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Map<String, String> flags = new HashMap<>();
    flags.put("profile", "test");
    flags.put("db.name", "tenantry_t" + suffix);
    flags.put("db.admin-url", TestEnv.adminUrl());
    flags.put("db.host", TestEnv.pgHost());
    flags.put("db.port", Integer.toString(TestEnv.pgPort()));
    flags.put("db.pool-size", "4");
    flags.put("redis.url", TestEnv.redisUrl());
    flags.put("redis.key-prefix", "tenantry-test:" + suffix + ":");
    flags.put("http.port", Integer.toString(freePort()));
    flags.put("http.host", "127.0.0.1");
    flags.put("http.instances", "2");
    flags.put("http.access-log", "false");
    flags.put("data-dir", tempDir(suffix).toString());
    flags.put("auth.password-iterations", "1000");
    flags.put("shutdown.drain-ms", "0");
    // Refused sign-ins answer at once in tests; LoginThrottlingTest checks the shipped delay.
    flags.put("login.refusal-delay-ms", "0");
    flags.put("shutdown.timeout-ms", "5000");
    flags.put("admin.email", ADMIN_EMAIL);
    flags.put("admin.password", ADMIN_PASSWORD);
    flags.putAll(overrides);
    return flags;
  }

  private void boot() {
    server = Await.result(TenantryServer.start(node, config), 120);
  }

  /** Stops the HTTP server and its pools but keeps the database, so a second start can be tested. */
  public void stopServer() {
    if (server != null) {
      // the stop bounds each of its ten steps (5 s each, logged when one runs out), so it may take ~50 s by design
      Await.result(server.stop(), 90, "stopping the server");
      server = null;
    }
  }

  public void restart() {
    stopServer();
    boot();
  }

  public TenantryServer server() {
    return server;
  }

  /** A super-admin token (no tenant). */
  public String adminToken() {
    return api.token(ADMIN_EMAIL, ADMIN_PASSWORD, null);
  }

  /** Creates a tenant and a user in it with the given role; returns the tenant's JSON. */
  public JsonObject createTenant(String adminToken, String slug) {
    HttpResponse<Buffer> r = api.post("/admin/v1/tenants", adminToken, new JsonObject().put("slug", slug).put("name", "Tenant " + slug));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("creating tenant " + slug + ": " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  public void addUser(String adminToken, String slug, String email, String role) {
    HttpResponse<Buffer> r = api.post("/admin/v1/tenants/" + slug + "/users", adminToken,
      new JsonObject().put("email", email).put("password", "password-of-" + email).put("role", role));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("adding " + email + ": " + r.statusCode() + " " + r.bodyAsString());
    }
  }

  /** Creates a tenant with one user of the role and returns a token for that user in that tenant. */
  public String tenantWithUser(String adminToken, String slug, String role) {
    createTenant(adminToken, slug);
    String email = role + "@" + slug + ".test";
    addUser(adminToken, slug, email, role);
    return api.token(email, "password-of-" + email, slug);
  }

  @Override
  public void close() {
    try {
      stopServer();
    } finally {
      http.close();
      Await.result(vertx.close(), 30, "closing Vert.x");
      if (ownsDatabase) {
        TestEnv.dropDatabase(config.dbName(), config.ownerRole(), config.appRole());
      }
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path tempDir(String suffix) {
    try {
      return Files.createTempDirectory("tenantry-test-" + suffix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
