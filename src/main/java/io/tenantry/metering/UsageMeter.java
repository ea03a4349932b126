package io.tenantry.metering;

import io.vertx.core.http.HttpMethod;

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
 * A tenant's counters leave memory after {@value #IDLE_DRAINS} drains without a count (30 s at the shipped
 * {@code metering.flush-ms}), so the map follows the active tenants, not every tenant since start.
 */
public final class UsageMeter {
  private final boolean enabled;
  private final UUID node = UUID.randomUUID(); // stable for the process: with the sequence, a flush's identity
  private final AtomicLong sequence = new AtomicLong();
  private final Map<UUID, TenantCounters> tenants = new ConcurrentHashMap<>();
  /**
   * Counters dropped from the map by the previous drain (idle for {@link #IDLE_DRAINS} drains): a count that raced
   * the drop (looked its counters up just before) lands there, and this drain moves it to the tenant's current
   * counters before taking them, so it is counted once; then they are forgotten.
   */
  private List<TenantCounters> retiring = List.of();

  /** Drains without a count after which a tenant's counters leave this node's memory. */
  static final int IDLE_DRAINS = 3;

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
   * A data-plane request admitted to its tenant (the gate calls this): its tenant's counters found and its user noted
   * now; null when metering is off. The request's pipeline keeps the admission (no routing-context entry of its own)
   * and calls {@link Admission#answered} when the request ends, so the requests counted are the requests served (the
   * access log's lines). A request refused before admission (unauthenticated, another tenant's caller, rate limited)
   * costs its tenant nothing. This is all a request pays for metering (the JMH benchmark {@code UsageMeterBenchmark}
   * measures it).
   */
  public Admission admit(UUID tenantId, UUID userId, HttpMethod method, String path) {
    if (!enabled) {
      return null;
    }
    TenantCounters counters = counters(tenantId);
    if (userId != null) {
      counters.user(userId);
    }
    return new Admission(this, counters, RequestClass.of(method, path));
  }

  /** An admitted request's counters and meter, until it is answered. */
  public static final class Admission {
    private final UsageMeter meter;
    private final TenantCounters counters;
    private final Meter requests;

    private Admission(UsageMeter meter, TenantCounters counters, Meter requests) {
      this.meter = meter;
      this.counters = counters;
      this.requests = requests;
    }

    /**
     * Counts the request by class when its response was sent without a server error (5xx); the bytes it wrote count
     * as egress even when its connection closed before the end (a download cut short).
     */
    public void answered(boolean sent, int status, long bytes) {
      if (status < 500) { // a server failure is not charged
        // the request may have outlived its counters (a long download while the tenant was otherwise idle)
        TenantCounters current = counters.dropped ? meter.counters(counters.tenantId) : counters;
        if (sent) {
          current.add(requests, 1);
        }
        current.add(Meter.EGRESS_BYTES, bytes);
      }
    }
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

  /** Counts that reached dropped counters after their last drain, moved to the tenant's current ones. */
  private void moveLateCounts(TenantCounters late) {
    for (Meter meter : Meter.values()) {
      if (meter.ordinal() < Meter.COUNTERS) {
        long n = late.take(meter);
        if (n > 0) {
          counters(late.tenantId).add(meter, n);
        }
      }
    }
    late.takeUsers().forEach(user -> counters(late.tenantId).user(user));
  }

  /** Tenants this node holds counters for. */
  public int tenants() {
    return tenants.size();
  }

  TenantCounters counters(UUID tenantId) { // package-private: a test holds one across a drop
    TenantCounters found = tenants.get(tenantId); // the common case: no lambda, no allocation
    return found != null ? found : tenants.computeIfAbsent(tenantId, TenantCounters::new);
  }

  /** Everything counted since the last drain, numbered and stamped with the current hour; null when nothing was. */
  public synchronized UsageBatch drain(Instant now) {
    for (TenantCounters late : retiring) {
      moveLateCounts(late);
    }
    List<TenantCounters> dropped = new ArrayList<>();
    List<UsageBatch.Count> counts = new ArrayList<>();
    List<UsageBatch.User> users = new ArrayList<>();
    for (TenantCounters counters : tenants.values()) {
      boolean counted = false;
      for (Meter meter : Meter.values()) {
        if (meter.ordinal() < Meter.COUNTERS) {
          long n = counters.take(meter);
          if (n > 0) {
            counts.add(new UsageBatch.Count(counters.tenantId, meter, n));
            counted = true;
          }
        }
      }
      List<UUID> seen = counters.takeUsers();
      seen.forEach(user -> users.add(new UsageBatch.User(counters.tenantId, user)));
      if (counted || !seen.isEmpty()) {
        counters.idleDrains = 0;
      } else if (++counters.idleDrains >= IDLE_DRAINS && tenants.remove(counters.tenantId, counters)) {
        counters.dropped = true;
        dropped.add(counters);
      }
    }
    retiring = dropped;
    if (counts.isEmpty() && users.isEmpty()) {
      return null;
    }
    return new UsageBatch(node, sequence.incrementAndGet(), now.truncatedTo(ChronoUnit.HOURS), counts, users);
  }
}
