package io.tenantry.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Validated, typed configuration. Built only by {@link ConfigLoader}; every failure names its key. */
public record Config(
  Profile profile,
  String httpHost,
  int httpPort,
  int httpInstances,
  long bodyLimit,
  boolean accessLog,
  int headerTimeoutMs,
  int jsonMaxDepth,
  int shutdownDrainMs,
  int shutdownTimeoutMs,
  ClusterSettings cluster,
  String dbHost,
  int dbPort,
  String dbName,
  PgUrl dbAdminUrl,
  String dbAppPassword,
  int dbPoolSize,
  int dbConnectTimeoutMs,
  int dbConnectionBudget,
  int dbStatementCacheSize,
  String dbTenantContext,
  String redisUrl,
  String redisKeyPrefix,
  Path dataDir,
  String baseDomain,
  int tenantCacheTtlSeconds,
  String defaultIsolation,
  int maxConcurrentPerTenant,
  int queueTimeoutMs,
  int dedicatedPoolSize,
  int dedicatedPoolIdleSeconds,
  int migrateParallelism,
  String jwtIssuer,
  int tokenTtlSeconds,
  int passwordIterations,
  String jwtPrivateKeyFile,
  String jwtPublicKeyFile,
  String adminEmail,
  String adminPassword,
  RateLimitSettings rateLimit,
  LoginSettings login,
  String jwtAudience,
  int dbStatementTimeoutMs,
  int dbIdleInTransactionTimeoutMs,
  int unknownTenantsPerMinute,
  UserSettings users,
  int tenancyMaxDepth,
  int refreshTtlSeconds,
  int idempotencyTtlSeconds,
  int tenancyDeleteGraceSeconds,
  MailSettings mail,
  List<ExternalIssuer> externalIssuers,
  int impersonationTtlSeconds,
  AuditSettings audit,
  boolean migrateOnStart,
  QuerySettings queries,
  ExportSettings exports,
  ServerBreakerSettings serverBreaker,
  StorageSettings storage,
  RecordQuerySettings recordQueries,
  MeteringSettings metering,
  MetricsSettings metrics,
  RelocationSettings relocations,
  OpsSettings ops) {

  /**
   * Operations keys (docs/operations/): {@code db.server-side-pooler} — the runtime connections go through a
   * transaction-mode pooler such as PgBouncer 1.18, so no named prepared statements and no pipelining
   * (docs/operations/pgbouncer.md); {@code auth.jwt-second-public-key-file} — a second public key whose tokens
   * are accepted during a signing-key rotation (docs/operations/runbooks.md#7-rotating-the-jwt-signing-key).
   */
  public record OpsSettings(boolean serverSidePooler, String jwtSecondPublicKeyFile) {
  }

  /**
   * The relocations.* keys: online moves between tiers and servers (docs/operations/tenant-moves.md). Held writes
   * go on after max-pause-ms whatever happens; a node's running writes get drain-ms to finish when the pause
   * starts; the old copy is removed grace-seconds after the switch.
   */
  public record RelocationSettings(int maxPauseMs, int drainMs, int graceSeconds) {
  }

  /** The exports.* keys: tenant export bundles (docs/export-format.md). */
  public record ExportSettings(int ttlSeconds, int threads) {
  }

  /** The server-breaker.* keys: the circuit breaker per PostgreSQL server of database-tier tenants (docs/operations/faults.md). */
  public record ServerBreakerSettings(int maxFailures, int resetMs, int windowMs) {
  }

  /** The records.* keys: filtered/sorted record lists (docs/records-api.md#queries). */
  public record RecordQuerySettings(long maxRowsScanned, int countExactLimit) {
  }


  /** The metering.* and billing.* keys: usage counting and invoicing (docs/billing.md). */
  public record MeteringSettings(boolean enabled, int flushMs, int retentionDays, int finalizeCheckMs,
                                 String defaultCurrency) {
  }


  /**
   * The metrics.* keys (docs/operations/metrics.md): who may read GET /metrics besides a super-admin — a scraper
   * sending the scrape token as a bearer token, or any client from an allow-listed address — and how many tenants
   * get series of their own.
   */
  public record MetricsSettings(String scrapeToken, java.util.Set<String> allowFrom, int topTenants,
                                int topTenantsIntervalSeconds) {
  }

  /** The queries.* keys: cross-tenant record queries (docs/cross-tenant.md). */
  public record QuerySettings(int concurrency, int tenantTimeoutMs) {
  }

  public enum Profile { DEV, PROD, TEST }

  /** The mail.* keys: where the outbox's e-mails go; no SMTP host means they stay in the outbox (and the log). */
  public record MailSettings(String smtpHost, int smtpPort, String starttls, String username, String password,
                             String from, int pollMs, int maxAttempts) {
    public boolean sending() {
      return !smtpHost.isEmpty();
    }
  }

  /** The login.* keys: the password-hashing pool and the sign-in throttle. */
  public record LoginSettings(int hashThreads, int hashQueue, int accountFailures, int addressFailures,
                              int backoffSeconds, int backoffMaxSeconds, int windowSeconds, int maxEntries,
                              int refusalDelayMs) {
  }

  /** The users.* keys: the password policy and password resets. */
  public record UserSettings(int passwordMinLength, int passwordResetTtlSeconds) {
  }

  /** The audit.* keys (docs/audit.md). */
  public record AuditSettings(int sealIntervalMs, int queueSize, int pruneIntervalSeconds) {
  }

  /** The ratelimit.* keys. Times in milliseconds. */
  public record RateLimitSettings(int nodes, int leaseMax, int leaseTtlMs, int redisTimeoutMs, int breakerMaxFailures,
                                  int breakerResetMs, int refreshMs) {
  }

  /** At most 28 bytes: a database-tier tenant database is named <db.name>_t_<32 hex digits>, within 63 bytes. */
  private static final Pattern DB_NAME = Pattern.compile("[a-z][a-z0-9_]{0,27}");
  /** host or host:port, as Hazelcast's TCP-IP member list takes them. */
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5}(-\\d{1,5})?)?");
  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  public String ownerRole() {
    return dbName + "_owner";
  }

  public String appRole() {
    return dbName + "_app";
  }

  static Config from(JsonNode tree) {
    Reader r = new Reader(tree);
    Profile profile = switch (r.text("profile")) {
      case "dev" -> Profile.DEV;
      case "prod" -> Profile.PROD;
      case "test" -> Profile.TEST;
      default -> throw new ConfigException("profile", "must be dev or prod");
    };
    String dbName = r.text("db.name");
    if (!DB_NAME.matcher(dbName).matches()) {
      throw new ConfigException("db.name", "must match " + DB_NAME.pattern());
    }
    String baseDomain = r.text("base-domain").toLowerCase(java.util.Locale.ROOT);
    if (!DOMAIN.matcher(baseDomain).matches()) {
      throw new ConfigException("base-domain", "must be a DNS name such as api.example.com");
    }
    int iterations = r.integer("auth.password-iterations", 1, 10_000_000);
    if (profile != Profile.TEST && iterations < 10_000) {
      throw new ConfigException("auth.password-iterations", "must be at least 10000");
    }
    int poolSize = r.integer("db.pool-size", 1, 1000);
    int dedicatedPoolSize = r.integer("tenancy.dedicated-pool-size", 1, 100);
    int budget = r.integer("db.connection-budget", 2, 100_000);
    if (budget < poolSize + dedicatedPoolSize) {
      throw new ConfigException("db.connection-budget", "must hold the platform pool (db.pool-size) and at least one "
        + "dedicated pool (tenancy.dedicated-pool-size): at least " + (poolSize + dedicatedPoolSize));
    }
    String isolation = r.text("tenancy.default-isolation");
    if (!java.util.Set.of("shared", "schema", "database").contains(isolation)) {
      throw new ConfigException("tenancy.default-isolation", "must be shared, schema or database");
    }
    return new Config(
      profile,
      byProfile(r.optionalText("http.host"), profile, "127.0.0.1", "0.0.0.0"),
      r.integer("http.port", 0, 65535),
      r.integer("http.instances", 0, 256),
      r.integer("http.body-limit", 1024, Integer.MAX_VALUE),
      r.bool("http.access-log"),
      r.integer("http.header-timeout-ms", 100, 600_000),
      r.integer("http.json-max-depth", 1, 500),
      r.optionalText("shutdown.drain-ms").isEmpty() ? (profile == Profile.DEV ? 0 : 5000)
        : r.integer("shutdown.drain-ms", 0, 600_000),
      r.integer("shutdown.timeout-ms", 0, 600_000),
      cluster(r),
      r.text("db.host"),
      r.integer("db.port", 1, 65535),
      dbName,
      PgUrl.parse("db.admin-url", r.text("db.admin-url")),
      r.optionalText("db.app-password"),
      poolSize,
      r.integer("db.connect-timeout-ms", 1, 600_000),
      budget,
      r.integer("db.statement-cache-size", 0, 100_000),
      tenantContext(r),
      r.redisUrl("redis.url"),
      redisKeyPrefix(r),
      Path.of(r.text("data-dir")),
      baseDomain,
      r.integer("tenancy.cache-ttl-seconds", 1, 86_400),
      isolation,
      r.integer("tenancy.max-concurrent-per-tenant", 1, 10_000),
      r.integer("tenancy.queue-timeout-ms", 0, 600_000),
      dedicatedPoolSize,
      r.integer("tenancy.dedicated-pool-idle-seconds", 1, 86_400),
      r.integer("migrate.parallelism", 1, 256),
      r.text("auth.issuer"),
      r.integer("auth.token-ttl-seconds", 1, 86_400),
      iterations,
      r.optionalText("auth.jwt-private-key-file"),
      r.optionalText("auth.jwt-public-key-file"),
      r.optionalText("admin.email"),
      r.optionalText("admin.password"),
      rateLimit(r),
      login(r),
      r.text("auth.audience"),
      r.integer("db.statement-timeout-ms", 0, 86_400_000),
      r.integer("db.idle-in-transaction-timeout-ms", 0, 86_400_000),
      r.integer("tenancy.unknown-tenants-per-minute", 1, 1_000_000),
      new UserSettings(r.integer("users.password-min-length", 8, 1024),
        r.integer("users.password-reset-ttl-seconds", 60, 604_800)),
      r.integer("tenancy.max-depth", 1, 64),
      r.integer("auth.refresh-ttl-seconds", 60, 31_536_000),
      r.integer("tenancy.idempotency-ttl-seconds", 60, 604_800),
      r.integer("tenancy.delete-grace-seconds", 1, 31_536_000),
      mail(r),
      ExternalIssuers.parse(r.node(ExternalIssuers.KEY), r.text("auth.issuer")),
      r.integer("auth.impersonation-ttl-seconds", 60, 86_400),
      new AuditSettings(r.integer("audit.seal-interval-ms", 10, 3_600_000), r.integer("audit.queue-size", 1, 10_000_000),
        r.integer("audit.prune-interval-seconds", 1, 604_800)),
      r.bool("migrate.on-start"),
      new QuerySettings(r.integer("queries.concurrency", 1, 256), r.integer("queries.tenant-timeout-ms", 10, 600_000)),
      new ExportSettings(r.integer("exports.ttl-seconds", 60, 2_592_000), r.integer("exports.threads", 1, 16)),
      new ServerBreakerSettings(r.integer("server-breaker.max-failures", 1, 1000),
        r.integer("server-breaker.reset-ms", 100, 600_000), r.integer("server-breaker.window-ms", 100, 3_600_000)),
      storage(r),
      new RecordQuerySettings(r.integer("records.max-rows-scanned", 0, 2_000_000_000),
        r.integer("records.count-exact-limit", 0, 10_000_000)),
      new MeteringSettings(r.bool("metering.enabled"), r.integer("metering.flush-ms", 50, 3_600_000),
        r.integer("metering.retention-days", 1, 36_500), r.integer("billing.finalize-check-ms", 1000, 86_400_000),
        currency(r, "billing.default-currency")),
      metrics(r),
      new RelocationSettings(r.integer("relocations.max-pause-ms", 100, 60_000),
        r.integer("relocations.drain-ms", 10, 60_000), r.integer("relocations.grace-seconds", 0, 604_800)),
      new OpsSettings(r.bool("db.server-side-pooler"), r.optionalText("auth.jwt-second-public-key-file")));
  }

  /** The storage.* keys (docs/storage.md). */
  public record StorageSettings(String backend, int workerThreads, long chunkedReservationBytes, int pendingTtlSeconds,
                                int sweepIntervalMs, S3Settings s3, List<NamedStore> stores) {
  }

  /** The storage.s3.* keys: an S3-compatible store; an empty endpoint means none is configured. */
  public record S3Settings(String endpoint, String region, String bucket, String accessKey, String secretKey,
                           boolean pathStyle, String prefix) {
    public boolean configured() {
      return !endpoint.isEmpty();
    }
  }

  /**
   * An entry of storage.stores: another S3-compatible store a tenant may be placed on with its storage.store
   * setting; {@code tenants} (slugs), when not empty, are the only tenants that may write to it.
   */
  public record NamedStore(String name, S3Settings s3, List<String> tenants) {
  }

  private static StorageSettings storage(Reader r) {
    String backend = r.text("storage.backend");
    if (!backend.equals("local") && !backend.equals("s3")) {
      throw new ConfigException("storage.backend", "must be local or s3");
    }
    S3Settings s3 = new S3Settings(r.optionalText("storage.s3.endpoint"), r.text("storage.s3.region"),
      r.optionalText("storage.s3.bucket"), r.optionalText("storage.s3.access-key"), r.optionalText("storage.s3.secret-key"),
      r.bool("storage.s3.path-style"), r.optionalText("storage.s3.prefix"));
    StorageStores.check(s3, "storage.s3");
    if (backend.equals("s3") && !s3.configured()) {
      throw new ConfigException("storage.backend", "is s3 but storage.s3.endpoint is empty");
    }
    long chunked;
    try {
      chunked = Long.parseLong(r.text("storage.chunked-reservation-bytes"));
    } catch (NumberFormatException e) {
      throw new ConfigException("storage.chunked-reservation-bytes", "must be a whole number");
    }
    if (chunked < 1) {
      throw new ConfigException("storage.chunked-reservation-bytes", "must be at least 1");
    }
    return new StorageSettings(backend, r.integer("storage.worker-threads", 1, 256), chunked,
      r.integer("storage.pending-ttl-seconds", 1, 31_536_000), r.integer("storage.sweep-interval-ms", 50, 86_400_000), s3,
      StorageStores.parse(r.node(StorageStores.KEY)));
  }

  private static String currency(Reader r, String key) {
    String value = r.text(key);
    if (!value.matches("[A-Z]{3}")) {
      throw new ConfigException(key, "must be an ISO 4217 code of three capital letters, got '" + value + "'");
    }
    return value;

  }

  private static MetricsSettings metrics(Reader r) {
    String token = r.optionalText("metrics.scrape-token");
    if (!token.isEmpty() && token.length() < 24) {
      throw new ConfigException("metrics.scrape-token", "must be empty (no scrape token) or at least 24 characters");
    }
    java.util.Set<String> allowed = new java.util.LinkedHashSet<>();
    for (String address : r.optionalText("metrics.allow-from").split(",")) {
      String a = address.trim();
      if (a.isEmpty()) {
        continue;
      }
      if (!a.matches("[0-9a-fA-F.:]+")) {
        throw new ConfigException("metrics.allow-from", "must be comma-separated IP addresses, got '" + a + "'");
      }
      allowed.add(a);
    }
    return new MetricsSettings(token, java.util.Set.copyOf(allowed), r.integer("metrics.top-tenants", 0, 1000),
      r.integer("metrics.top-tenants-interval-seconds", 1, 3600));
  }

  private static MailSettings mail(Reader r) {
    String starttls = r.text("mail.starttls");
    if (!List.of("disabled", "optional", "required").contains(starttls)) {
      throw new ConfigException("mail.starttls", "must be disabled, optional or required, got '" + starttls + "'");
    }
    return new MailSettings(r.optionalText("mail.smtp-host"), r.integer("mail.smtp-port", 1, 65535), starttls,
      r.optionalText("mail.username"), r.optionalText("mail.password"), r.text("mail.from"),
      r.integer("mail.poll-ms", 100, 3_600_000), r.integer("mail.max-attempts", 1, 1000));
  }

  private static LoginSettings login(Reader r) {
    int threads = r.integer("login.hash-threads", 0, 256);
    int backoff = r.integer("login.backoff-seconds", 1, 86_400);
    int backoffMax = r.integer("login.backoff-max-seconds", 1, 86_400);
    if (backoffMax < backoff) {
      throw new ConfigException("login.backoff-max-seconds", "must be at least login.backoff-seconds (" + backoff + ")");
    }
    return new LoginSettings(
      threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : threads,
      r.integer("login.hash-queue", 0, 100_000),
      r.integer("login.account-failures", 1, 1000),
      r.integer("login.address-failures", 1, 100_000),
      backoff,
      backoffMax,
      r.integer("login.window-seconds", 1, 604_800),
      r.integer("login.max-entries", 100, 10_000_000),
      r.integer("login.refusal-delay-ms", 0, 60_000));
  }

  /** An empty value takes the profile's default: dev is a machine's own server, prod sits behind a load balancer. */
  private static String byProfile(String value, Profile profile, String dev, String otherwise) {
    return !value.isEmpty() ? value : profile == Profile.DEV ? dev : otherwise;
  }

  private static String tenantContext(Reader r) {
    String mode = r.text("db.tenant-context");
    if (!mode.equals("statement") && !mode.equals("transaction")) {
      throw new ConfigException("db.tenant-context", "must be statement or transaction");
    }
    return mode;
  }

  private static RateLimitSettings rateLimit(Reader r) {
    return new RateLimitSettings(
      r.integer("ratelimit.nodes", 1, 1000),
      r.integer("ratelimit.lease-max", 1, 1000),
      r.integer("ratelimit.lease-ttl-ms", 10, 60_000),
      r.integer("ratelimit.redis-timeout-ms", 1, 10_000),
      r.integer("ratelimit.breaker-max-failures", 1, 1000),
      r.integer("ratelimit.breaker-reset-ms", 10, 600_000),
      r.integer("ratelimit.refresh-ms", 50, 60_000));
  }

  /** Rate-limit keys carry a {t:<tenant id>} hash tag; a brace in the prefix would become the hash tag instead. */
  private static String redisKeyPrefix(Reader r) {
    String prefix = r.optionalText("redis.key-prefix");
    if (prefix.contains("{") || prefix.contains("}")) {
      throw new ConfigException("redis.key-prefix", "must not contain { or } (keys are hash-tagged per tenant for Redis Cluster)");
    }
    return prefix;
  }

  private static ClusterSettings cluster(Reader r) {
    String name = r.text("cluster.name");
    if (!CLUSTER_NAME.matcher(name).matches()) {
      throw new ConfigException("cluster.name", "must match " + CLUSTER_NAME.pattern());
    }
    List<String> members = new ArrayList<>();
    for (String member : r.optionalText("cluster.members").split(",")) {
      String trimmed = member.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!MEMBER.matcher(trimmed).matches()) {
        throw new ConfigException("cluster.members", "must be comma-separated host[:port] entries, got '" + trimmed + "'");
      }
      members.add(trimmed);
    }
    String host = r.text("cluster.host");
    if (!IPV4.matcher(host).matches()) {
      throw new ConfigException("cluster.host", "must be this machine's IPv4 address, got '" + host + "'");
    }
    boolean multicast = r.bool("cluster.multicast");
    if (members.isEmpty() && !multicast) {
      throw new ConfigException("cluster.members", "is required unless cluster.multicast is true");
    }
    return new ClusterSettings(
      r.bool("cluster.enabled"),
      name,
      host,
      r.integer("cluster.port", 1, 65535),
      members,
      multicast,
      r.integer("cluster.event-bus-port", 0, 65535),
      r.integer("cluster.min-members", 1, 1000),
      r.integer("cluster.failure-timeout-seconds", 2, 3600),
      r.integer("cluster.join-wait-seconds", 0, 300));
  }

  private record Reader(JsonNode tree) {
    JsonNode node(String key) {
      JsonNode node = tree;
      for (String part : key.split("\\.")) {
        node = node.path(part);
      }
      return node;
    }

    String optionalText(String key) {
      JsonNode node = node(key);
      return node.isMissingNode() || node.isNull() ? "" : node.asText().trim();
    }

    String text(String key) {
      String value = optionalText(key);
      if (value.isEmpty()) {
        throw new ConfigException(key, "is required");
      }
      return value;
    }

    int integer(String key, int min, int max) {
      String value = text(key);
      try {
        int parsed = Integer.parseInt(value);
        if (parsed < min || parsed > max) {
          throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new ConfigException(key, "must be a whole number, got '" + value + "'");
      }
    }

    boolean bool(String key) {
      return switch (text(key)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new ConfigException(key, "must be true or false");
      };
    }

    String redisUrl(String key) {
      String value = text(key);
      if (!value.startsWith("redis://") && !value.startsWith("rediss://")) {
        throw new ConfigException(key, "must be a redis:// or rediss:// URL");
      }
      return value;
    }
  }
}
