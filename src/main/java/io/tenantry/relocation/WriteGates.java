package io.tenantry.relocation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's per-tenant write gates for online moves. While no move is in progress the data plane pays one
 * volatile read per request ({@link #watching}). A move first <em>arms</em> its tenant's gate (requests for the
 * tenant are counted while they run), later <em>closes</em> it (new requests wait; the close completes when the
 * counted ones have finished) and finally <em>opens</em> it (waiting requests go on, resolving the tenant afresh,
 * so after a switch they reach its new home). A closed gate opens by itself after its bound: requests wait, they
 * are never refused. Thread-safe; requests enter on event loops, moves act from any thread.
 */
public final class WriteGates {
  private final Vertx vertx;
  private final Map<UUID, TenantGate> gates = new ConcurrentHashMap<>();
  /** Gates armed on this node; 0 on the fast path. */
  private volatile int armed;

  public WriteGates(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The one read the data plane pays when no move is in progress. */
  public boolean watching() {
    return armed != 0;
  }

  /** The tenant's armed gate, or null: call only when {@link #watching()}. */
  public TenantGate gate(UUID tenantId) {
    return gates.get(tenantId);
  }

  /** Starts counting the tenant's requests (idempotent). */
  public synchronized void arm(UUID tenantId) {
    if (gates.putIfAbsent(tenantId, new TenantGate()) == null) {
      armed = gates.size();
    }
  }

  /**
   * Holds the tenant's new requests (for at most {@code boundMs}, then they go on) and completes when its counted
   * requests have all finished, or fails after {@code drainMs} (the caller then opens the gate and gives up).
   */
  public Future<Void> close(UUID tenantId, long boundMs, long drainMs) {
    arm(tenantId);
    TenantGate gate = gates.get(tenantId);
    gate.close();
    vertx.setTimer(Math.max(1, boundMs), t -> gate.open());
    return gate.drained(vertx, drainMs);
  }

  /** Lets the tenant's waiting requests go on and stops counting (idempotent). */
  public synchronized void open(UUID tenantId) {
    TenantGate gate = gates.remove(tenantId);
    armed = gates.size();
    if (gate != null) {
      gate.open();
    }
  }

  /** One tenant's gate: a count of its running requests and, while closed, the promise its new requests wait on. */
  public static final class TenantGate {
    private final AtomicInteger running = new AtomicInteger();
    private volatile Promise<Void> closed;
    private volatile Promise<Void> drained;

    /** Null when the request may go on now (then it is counted: call {@link #leave} when it ends). */
    public Future<Void> enter() {
      Promise<Void> wait = closed;
      if (wait != null) {
        return wait.future();
      }
      running.incrementAndGet();
      // closed between the read and the count: step back and wait (the drain may have seen zero already)
      wait = closed;
      if (wait != null) {
        leave();
        return wait.future();
      }
      return null;
    }

    public void leave() {
      if (running.decrementAndGet() == 0) {
        Promise<Void> d = drained;
        if (d != null && closed != null) {
          d.tryComplete();
        }
      }
    }

    synchronized void close() {
      if (closed == null) {
        closed = Promise.promise();
        drained = Promise.promise();
      }
    }

    synchronized void open() {
      Promise<Void> wait = closed;
      closed = null;
      if (wait != null) {
        wait.tryComplete();
      }
    }

    Future<Void> drained(Vertx vertx, long drainMs) {
      Promise<Void> d = drained;
      if (running.get() == 0) {
        d.tryComplete();
      }
      long timer = vertx.setTimer(Math.max(1, drainMs),
        t -> d.tryFail("requests of the tenant still running after " + drainMs + " ms"));
      return d.future().andThen(done -> vertx.cancelTimer(timer));
    }
  }
}
