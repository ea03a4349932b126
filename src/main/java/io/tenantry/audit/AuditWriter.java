package io.tenantry.audit;

import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Best-effort entries off the request's path: sign-ins, denied and failed requests, admin actions, key use. Queued
 * (at most audit.queue-size; beyond that an entry is dropped and counted) and stored every
 * {@link #FLUSH_MS} ms, one batch per tenant in its own tier, tenantless entries in platform.audit_log. A write's
 * own entry never goes this way: it is stored in the write's statement.
 */
public final class AuditWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  static final long FLUSH_MS = 200;
  private static final String PLATFORM_INSERT = "INSERT INTO platform.audit_log (id, actor_user, actor_key, "
    + "impersonator, action, target, outcome, status, request_id, client_address, detail) "
    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

  private record Pending(Tenant tenant, AuditEntry entry) {
  }

  private final Vertx vertx;
  private final AuditLog log;
  private final Pool platform;
  private final AuditSealer sealer;
  private final int capacity;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private long reportedDrops;
  private long timer = -1;
  private boolean flushing;
  private Future<Void> inFlight = Future.succeededFuture();

  public AuditWriter(Vertx vertx, AuditLog log, Pool platform, AuditSealer sealer, int capacity) {
    this.vertx = vertx;
    this.log = log;
    this.platform = platform;
    this.sealer = sealer;
    this.capacity = capacity;
  }

  public void start() {
    timer = vertx.setPeriodic(FLUSH_MS, id -> flush());
  }

  /** Stops the timer, lets a running flush finish, and stores what is still queued. */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return inFlight.eventually(this::flush);
  }

  /** Queues an entry of {@code tenant} (null: the platform log); never blocks, never fails the caller. */
  public void record(Tenant tenant, AuditEntry entry) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    queue.add(new Pending(tenant, entry));
  }

  /** Entries dropped because the queue was full (for metrics). */
  public long dropped() {
    return dropped.get();
  }

  /** Entries whose batch could not be stored (the tenant's database down, say). */
  public long failed() {
    return failed.get();
  }

  Future<Void> flush() {
    long drops = dropped.get();
    if (drops != reportedDrops) {
      LOG.warn("audit queue full: {} best-effort audit entries dropped so far ({} since the last report)", drops,
        drops - reportedDrops);
      reportedDrops = drops;
    }
    if (flushing || size.get() == 0) {
      return Future.succeededFuture();
    }
    flushing = true;
    Map<UUID, List<AuditEntry>> byTenant = new LinkedHashMap<>();
    Map<UUID, Tenant> tenants = new LinkedHashMap<>();
    List<AuditEntry> tenantless = new ArrayList<>();
    Pending next;
    while ((next = queue.poll()) != null) {
      size.decrementAndGet();
      if (next.tenant() == null) {
        tenantless.add(next.entry());
      } else {
        tenants.put(next.tenant().id(), next.tenant());
        byTenant.computeIfAbsent(next.tenant().id(), id -> new ArrayList<>()).add(next.entry());
      }
    }
    List<Future<Void>> stored = new ArrayList<>();
    byTenant.forEach((id, entries) -> stored.add(counted(log.append(tenants.get(id), entries)
      .onSuccess(v -> sealer.touched(id)), entries.size())));
    if (!tenantless.isEmpty()) {
      List<Tuple> rows = new ArrayList<>(tenantless.size());
      tenantless.forEach(e -> rows.add(Tuple.tuple().addUUID(e.id()).addUUID(e.actor().user()).addUUID(e.actor().key())
        .addUUID(e.actor().impersonator()).addString(e.action()).addString(AuditLog.clip(e.target(), 500))
        .addString(e.outcome()).addInteger(e.status()).addString(AuditLog.clip(e.actor().requestId(), 200))
        .addString(AuditLog.clip(e.actor().clientAddress(), 100)).addValue(e.detail())));
      stored.add(counted(platform.preparedQuery(PLATFORM_INSERT).executeBatch(rows).mapEmpty(), tenantless.size()));
    }
    inFlight = Future.join(stored).<Void>mapEmpty().otherwiseEmpty().onComplete(done -> flushing = false);
    return inFlight;
  }

  private Future<Void> counted(Future<Void> batch, int entries) {
    return batch.onFailure(e -> {
      failed.addAndGet(entries);
      LOG.warn("{} best-effort audit entries could not be stored: {}", entries, e.toString());
    });
  }
}
