package io.tenantry.metering;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's usage counters, per tenant, in memory. Counting a request is a map lookup of the tenant's interned
 * {@link TenantCounters} and a striped increment; {@link #drain} takes everything counted since the last drain as
 * one numbered {@link UsageBatch} for the {@link UsageFlusher}. Off ({@code metering.enabled: false}) it counts nothing.
 */
public final class UsageMeter {
  private final boolean enabled;
  private final UUID node = UUID.randomUUID(); // stable for the process: with the sequence, a flush's identity
  private final AtomicLong sequence = new AtomicLong();
  private final Map<UUID, TenantCounters> tenants = new ConcurrentHashMap<>();

  public UsageMeter(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  public UUID node() {
    return node;
  }

  /**
   * A data-plane request admitted to its tenant: counted by class with its response bytes when it was answered without
   * a server error (5xx). A request refused before admission (unauthenticated, another tenant's caller, rate limited)
   * costs its tenant nothing.
   */
  public void admitted(RoutingContext ctx, UUID tenantId, UUID userId) {
    if (!enabled) {
      return;
    }
    TenantCounters counters = counters(tenantId);
    if (userId != null) {
      counters.user(userId);
    }
    Meter meter = RequestClass.of(ctx.request().method(), ctx.normalizedPath());
    ctx.addEndHandler(ended -> {
      if (ctx.response().getStatusCode() < 500) { // a server failure is not charged
        counters.add(meter, 1);
        counters.add(Meter.EGRESS_BYTES, ctx.response().bytesWritten());
      }
    });
  }

  /** A control-plane request about a tenant, counted once it was answered with success (the caller was allowed). */
  public void answered(UUID tenantId, HttpMethod method, String path, long bytes) {
    if (!enabled) {
      return;
    }
    TenantCounters counters = counters(tenantId);
    counters.add(RequestClass.of(method, path), 1);
    counters.add(Meter.EGRESS_BYTES, bytes);
  }

  /** Adds to a counter meter (cross-tenant query units, ...). */
  public void add(UUID tenantId, Meter meter, long n) {
    if (enabled && n > 0) {
      if (meter.kind != Meter.Kind.COUNTER) {
        throw new IllegalArgumentException(meter.id() + " is not a counter");
      }
      counters(tenantId).add(meter, n);
    }
  }

  private TenantCounters counters(UUID tenantId) {
    TenantCounters found = tenants.get(tenantId); // the common case: no lambda, no allocation
    return found != null ? found : tenants.computeIfAbsent(tenantId, TenantCounters::new);
  }

  /** Everything counted since the last drain, numbered and stamped with the current hour; empty when idle. */
  public UsageBatch drain(Instant now) {
    List<UsageBatch.Count> counts = new ArrayList<>();
    List<UsageBatch.User> users = new ArrayList<>();
    for (TenantCounters counters : tenants.values()) {
      for (Meter meter : Meter.values()) {
        if (meter.ordinal() < Meter.COUNTERS) {
          long n = counters.take(meter);
          if (n > 0) {
            counts.add(new UsageBatch.Count(counters.tenantId, meter, n));
          }
        }
      }
      counters.takeUsers().forEach(user -> users.add(new UsageBatch.User(counters.tenantId, user)));
    }
    if (counts.isEmpty() && users.isEmpty()) {
      return null;
    }
    return new UsageBatch(node, sequence.incrementAndGet(), now.truncatedTo(ChronoUnit.HOURS), counts, users);
  }
}
