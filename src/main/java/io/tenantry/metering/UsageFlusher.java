package io.tenantry.metering;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * Stores this node's usage every metering.flush-ms. A drained batch stays queued until both its statements
 * succeeded; a failed store is retried with the same (node, seq), which the primary key turns into a no-op for what
 * was stored before the failure — so a lost connection never loses counts and never counts twice. Flushes run one
 * at a time; {@link #stop} drains and stores everything (SIGTERM), a SIGKILL loses what was counted since the last
 * successful flush.
 */
public final class UsageFlusher {
  private static final Logger LOG = LoggerFactory.getLogger(UsageFlusher.class);

  private final Vertx vertx;
  private final Pool pool;
  private final UsageMeter meter;
  private final int flushMs;
  private final Deque<UsageBatch> queued = new ArrayDeque<>();
  private long timer = -1;
  /** The flush waiting for the running one to end, if any. */
  private Future<Void> behind;
  private Future<Void> running = Future.succeededFuture();

  public UsageFlusher(Vertx vertx, Pool pool, UsageMeter meter, int flushMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.meter = meter;
    this.flushMs = flushMs;
  }

  public void start() {
    if (meter.enabled()) {
      timer = vertx.setPeriodic(flushMs, id -> flush());
    }
  }

  /**
   * Stores everything counted before the call: drains the counters and stores every queued batch, oldest first. While
   * a flush runs, what was counted after its drain needs another: one flush waits behind the running one, shared by
   * every caller meanwhile (the periodic timer included), so a slow or failing store never queues more than one.
   */
  public synchronized Future<Void> flush() {
    if (!running.isComplete()) {
      if (behind == null) {
        behind = running.transform(done -> {
          synchronized (this) {
            behind = null;
          }
          return flush();
        });
      }
      return behind;
    }
    UsageBatch batch = meter.drain(Instant.now());
    if (batch != null) {
      queued.addLast(batch);
    }
    running = storeQueued();
    return running;
  }

  private synchronized Future<Void> storeQueued() {
    UsageBatch next = queued.peekFirst();
    if (next == null) {
      return Future.succeededFuture();
    }
    return store(next)
      .onFailure(e -> LOG.warn("usage flush {} of node {} not stored, kept for the next flush: {}", next.seq(),
        next.node(), e.getMessage()))
      .compose(stored -> {
        synchronized (this) {
          queued.removeFirst();
        }
        return storeQueued();
      });
  }

  /** Stores one batch; package-private so a test can store a batch twice, as a retry after a lost answer does. */
  Future<Void> store(UsageBatch batch) {
    var hour = batch.hour().atOffset(ZoneOffset.UTC);
    int n = batch.counts().size();
    UUID[] tenants = new UUID[n];
    String[] meters = new String[n];
    Long[] quantities = new Long[n];
    for (int i = 0; i < n; i++) {
      UsageBatch.Count count = batch.counts().get(i);
      tenants[i] = count.tenantId();
      meters[i] = count.meter().id();
      quantities[i] = count.quantity();
    }
    int u = batch.users().size();
    UUID[] userTenants = new UUID[u];
    UUID[] users = new UUID[u];
    for (int i = 0; i < u; i++) {
      userTenants[i] = batch.users().get(i).tenantId();
      users[i] = batch.users().get(i).userId();
    }
    Future<?> counts = n == 0 ? Future.succeededFuture() : pool.preparedQuery(UsageSql.INSERT_COUNTS)
      .execute(Tuple.of(tenants, meters, quantities, hour, batch.node(), batch.seq()));
    return counts.compose(done -> u == 0 ? Future.succeededFuture() : pool.preparedQuery(UsageSql.INSERT_USERS)
      .execute(Tuple.of(userTenants, users, hour))).mapEmpty();
  }

  /** Batches not yet stored (tests, and a warning at stop). */
  public synchronized int pending() {
    return queued.size();
  }

  /**
   * Stops the timer and stores everything counted (HTTP is already stopped, so nothing more arrives), retrying a
   * failed store every 200 ms; the server bounds this step.
   */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return running.transform(ignored -> flushUntilStored(0));
  }

  private Future<Void> flushUntilStored(int attempt) {
    return flush().recover(e -> {
      if (attempt >= 25) {
        LOG.warn("shutdown: {} usage batches not stored: {}", pending(), e.getMessage());
        return Future.failedFuture(e);
      }
      return vertx.timer(200).compose(t -> flushUntilStored(attempt + 1));
    });
  }
}
