package io.tenantry.records.changes;

import io.tenantry.health.Draining;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Server-Sent Events stream of a collection's changes. It polls the change log from its position, writes each
 * change as an event whose {@code id} is the change's token (so a reconnecting EventSource sends it back as
 * Last-Event-ID and resumes exactly after it), and waits {@link #POLL_MS} when it has caught up. It polls the
 * database rather than listening for this node's writes because the writes may go through any node; the wait bounds
 * how late a change written elsewhere appears. While idle it sends a comment every {@link #HEARTBEAT_MS} (keeping the
 * connection within idle timeouts), with the moved position as an id-only block (no event fires, but the client's
 * Last-Event-ID moves past changes of other collections). It ends when the client goes, when the node starts to
 * drain (the client reconnects to another node), or after repeated read failures.
 */
final class ChangeStream {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);
  static final long POLL_MS = 250;
  static final long HEARTBEAT_MS = 15_000;
  static final int PAGE = 500;
  private static final int MAX_FAILURES = 5;

  private final Vertx vertx;
  private final ChangeLog log;
  private final Draining draining;
  private final HttpServerResponse response;
  private final Tenant tenant;
  private final String collection;
  private ChangeToken position;
  private ChangeToken announced;
  private long lastWrite = System.nanoTime();
  private int failures;
  private long timer = -1;
  private boolean closed;

  ChangeStream(Vertx vertx, ChangeLog log, Draining draining, HttpServerResponse response, Tenant tenant,
               String collection, ChangeToken position) {
    this.vertx = vertx;
    this.log = log;
    this.draining = draining;
    this.response = response;
    this.tenant = tenant;
    this.collection = collection;
    this.position = position;
    this.announced = position;
  }

  void start() {
    response.setStatusCode(200).setChunked(true)
      .putHeader("Content-Type", "text/event-stream")
      .putHeader("Cache-Control", "no-cache")
      .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    response.write("retry: 1000\n\n");
    poll();
  }

  private void poll() {
    timer = -1;
    if (closed) {
      return;
    }
    if (draining.active()) {
      end();
      return;
    }
    log.after(tenant, collection, position, PAGE).onComplete(read -> {
      if (closed) {
        return;
      }
      if (read.failed()) {
        failed(read.cause());
        return;
      }
      failures = 0;
      ChangeLog.Page page = read.result();
      StringBuilder events = new StringBuilder();
      for (Change change : page.changes()) {
        events.append("id: ").append(change.token()).append("\nevent: change\ndata: ")
          .append(change.toJson().encode()).append("\n\n");
      }
      position = page.next();
      if (!page.changes().isEmpty()) {
        announced = page.changes().get(page.changes().size() - 1).token();
      }
      boolean idle = System.nanoTime() - lastWrite > HEARTBEAT_MS * 1_000_000;
      if (events.isEmpty() && idle) {
        events.append(announced.equals(position) ? ": keep-alive\n\n" : "id: " + position + "\n\n");
        announced = position;
      }
      if (!events.isEmpty()) {
        lastWrite = System.nanoTime();
        response.write(events.toString());
      }
      boolean more = page.changes().size() == PAGE;
      if (response.writeQueueFull()) {
        response.drainHandler(v -> schedule(more ? 1 : POLL_MS));
      } else {
        schedule(more ? 1 : POLL_MS);
      }
    });
  }

  private void failed(Throwable cause) {
    failures++;
    LOG.warn("change stream of tenant {} collection {}: read failed ({} in a row): {}", tenant.id(), collection,
      failures, cause.toString());
    if (failures >= MAX_FAILURES) {
      end();
    } else {
      schedule(POLL_MS * failures);
    }
  }

  private void schedule(long delayMs) {
    if (!closed) {
      timer = vertx.setTimer(delayMs, id -> poll());
    }
  }

  /** Ends the response (the client reconnects with its Last-Event-ID). */
  private void end() {
    if (!closed) {
      close();
      response.end();
    }
  }

  private void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
