package io.tenantry.pool;

import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final Map<Isolation, AtomicInteger> inFlight = new EnumMap<>(Isolation.class);

  public TenantPools(Pool platform, ConcurrencyCaps caps, DedicatedPools dedicated) {
    this.platform = platform;
    this.caps = caps;
    this.dedicated = dedicated;
    for (Isolation tier : Isolation.values()) {
      inFlight.put(tier, new AtomicInteger());
    }
  }

  public <T> Future<T> withConnection(Tenant tenant, Function<SqlConnection, Future<T>> work) {
    AtomicInteger counter = inFlight.get(tenant.isolation());
    counter.incrementAndGet();
    Future<T> result = tenant.isolation() == Isolation.DATABASE
      ? dedicated.lease(tenant).compose(lease -> run(lease.pool(), work).eventually(() -> {
        lease.release().run();
        return Future.succeededFuture();
      }))
      : caps.acquire(tenant.id()).compose(permit -> run(platform, work).eventually(() -> {
        permit.release();
        return Future.succeededFuture();
      }));
    return result.eventually(() -> {
      counter.decrementAndGet();
      return Future.succeededFuture();
    });
  }

  private static <T> Future<T> run(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.getConnection().compose(conn -> {
      Future<T> done;
      try {
        done = work.apply(conn);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      return done.eventually(conn::close);
    });
  }

  public DedicatedPools dedicated() {
    return dedicated;
  }

  /** What the pools are doing, for operators and the metrics export. */
  public JsonObject stats() {
    JsonObject tiers = new JsonObject();
    inFlight.forEach((tier, count) -> tiers.put(tier.sql(), new JsonObject().put("in_flight", count.get())));
    return new JsonObject()
      .put("tiers", tiers)
      .put("platform_pool", new JsonObject()
        .put("running_under_cap", caps.running())
        .put("waiting", caps.waiting())
        .put("rejected", caps.rejected()))
      .put("dedicated_pools", new JsonObject()
        .put("open", dedicated.open())
        .put("max", dedicated.maxPools())
        .put("opened_total", dedicated.opened())
        .put("rejected", dedicated.rejected()));
  }
}
