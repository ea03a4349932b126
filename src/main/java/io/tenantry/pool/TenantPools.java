package io.tenantry.pool;

import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Routes a tenant's work to its pool: shared- and schema-tier tenants to the platform pool under a per-tenant
 * concurrency cap, database-tier tenants to their own pool. The connection is closed (returned) and every place
 * released when the work's Future completes, whatever its outcome.
 */
public final class TenantPools {
  private final Pool platform;
  private final ConcurrencyCaps caps;
  private final DedicatedPools dedicated;
  /** Per-server circuit breakers of the dedicated pools; null: none (a test's pools). */
  private final ServerBreakers breakers;
  /** Striped: every request bumps its tier's count twice, from whichever event loop it runs on. */
  private final Map<Isolation, LongAdder> inFlight = new EnumMap<>(Isolation.class);

  public TenantPools(Pool platform, ConcurrencyCaps caps, DedicatedPools dedicated) {
    this(platform, caps, dedicated, null);
  }

  public TenantPools(Pool platform, ConcurrencyCaps caps, DedicatedPools dedicated, ServerBreakers breakers) {
    this.platform = platform;
    this.caps = caps;
    this.dedicated = dedicated;
    this.breakers = breakers;
    for (Isolation tier : Isolation.values()) {
      inFlight.put(tier, new LongAdder());
    }
  }

  /** Work on one connection of the tenant's pool (a transaction, say), closed (returned) when the work completes. */
  public <T> Future<T> withConnection(Tenant tenant, Function<SqlConnection, Future<T>> work) {
    return guarded(tenant, pool -> pool.getConnection().compose(conn -> apply(work, conn).andThen(done -> conn.close())));
  }

  /**
   * Work whose statements go straight to the tenant's pool, each on whichever connection is free, as a
   * single-tenant server's would: no connection is held between them.
   */
  public <T> Future<T> withClient(Tenant tenant, Function<SqlClient, Future<T>> work) {
    return guarded(tenant, pool -> apply(work, pool));
  }

  /**
   * Runs {@code use} on the tenant's pool once it has a place there (a dedicated pool's lease, or a place under the
   * shared pools' cap) and gives the place back when the work completes. A place granted at once (the usual case)
   * costs no extra future.
   */
  private <T> Future<T> guarded(Tenant tenant, Function<Pool, Future<T>> use) {
    LongAdder counter = inFlight.get(tenant.isolation());
    counter.increment();
    if (tenant.isolation() == Isolation.DATABASE) {
      java.util.function.Supplier<Future<T>> onServer = () -> dedicated.lease(tenant)
        .compose(lease -> apply(use, lease.pool()).andThen(done -> lease.release().run()));
      // A database-tier tenant always has its database (platform.tenants' CHECK tenants_db_target_check ties the tier to
      // db_host, db_port and db_name), so there is always a server to guard.
      Future<T> result = breakers == null ? onServer.get()
        : breakers.execute(tenant.database(), onServer); // a server that is down fails its tenants fast
      return result.andThen(done -> counter.decrement());
    }
    Future<ConcurrencyCaps.Permit> permit = caps.acquire(tenant.id());
    if (!permit.succeeded()) {
      return permit.compose(place -> apply(use, platform).andThen(done -> place.release()))
        .andThen(done -> counter.decrement());
    }
    // The usual case, a place at once: released by the work's own future's first listener — registered before
    // the caller's, so it runs before them, as andThen would, without two more futures per request.
    ConcurrencyCaps.Permit place = permit.result();
    Future<T> result = apply(use, platform);
    result.onComplete(done -> {
      place.release();
      counter.decrement();
    });
    return result;
  }

  private static <C, T> Future<T> apply(Function<C, Future<T>> work, C client) {
    try {
      return work.apply(client);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  public DedicatedPools dedicated() {
    return dedicated;
  }

  /** What the pools are doing, for operators and the metrics export. */
  public JsonObject stats() {
    JsonObject tiers = new JsonObject();
    inFlight.forEach((tier, count) -> tiers.put(tier.sql(), new JsonObject().put("in_flight", count.sum())));
    return new JsonObject()
      .put("tiers", tiers)
      .put("platform_pool", new JsonObject()
        .put("running_under_cap", caps.running())
        .put("waiting", caps.waiting())
        .put("queued_total", caps.queued())
        .put("rejected", caps.rejected()))
      .put("dedicated_pools", new JsonObject()
        .put("open", dedicated.open())
        .put("max", dedicated.maxPools())
        .put("opened_total", dedicated.opened())
        .put("rejected", dedicated.rejected()))
      .put("server_breakers", breakers == null ? new io.vertx.core.json.JsonArray() : breakers.stats());
  }
}
