package io.tenantry.queries;

import io.tenantry.http.Problem;
import io.tenantry.records.Record;
import io.tenantry.tenant.Tenant;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cross-tenant query being answered as NDJSON (docs/cross-tenant.md): at most {@code concurrency} tenants' parts
 * run at once, each bounded by the per-tenant timeout; each part's records are written as one line per record as
 * soon as it finishes, a failed part as one error line, and the rest go on. A new part starts only while the
 * response's write queue has room (back-pressure: a slow reader slows the fan-out, never fills the server's memory),
 * and none starts once the client has gone. All of its state is touched on the request's own context only.
 */
final class FanOut {
  private static final Buffer NEWLINE = Buffer.buffer("\n");

  private final Vertx vertx;
  private final Context context;
  private final HttpServerResponse response;
  private final QueryRequest query;
  private final QueryTargets.Source source;
  private final Part part;
  private final int timeoutMs;
  private final int concurrency;
  private final String requestId;
  private final ArrayDeque<Tenant> queue = new ArrayDeque<>();
  private final long started = System.nanoTime();
  private boolean loading;
  private boolean exhausted;
  private boolean stopped;
  private int running;
  private long tenants;
  private long succeeded;
  private long failed;
  private long skipped;
  private long records;

  /** One tenant's part of the query ({@link TenantPart} in the server). */
  @FunctionalInterface
  interface Part {
    Future<List<Record>> run(Tenant tenant, QueryRequest query);
  }

  FanOut(Vertx vertx, HttpServerResponse response, QueryRequest query, QueryTargets.Source source, Part part,
         int timeoutMs, int concurrency, String requestId) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.response = response;
    this.query = query;
    this.source = source;
    this.part = part;
    this.timeoutMs = timeoutMs;
    this.concurrency = concurrency;
    this.requestId = requestId;
  }

  void start() {
    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/x-ndjson");
    response.drainHandler(v -> pump());
    response.closeHandler(v -> stopped = true);
    response.exceptionHandler(e -> stopped = true);
    pump();
  }

  private void pump() {
    while (!gone() && running < concurrency && !response.writeQueueFull() && !queue.isEmpty()) {
      Tenant next = queue.poll();
      tenants++;
      if (next.status() == Tenant.Status.DELETED || next.status() == Tenant.Status.PROVISIONING) {
        skipped++;
        error(next, PartFailures.notQueryable(next));
      } else {
        run(next);
      }
    }
    if (gone() || !queue.isEmpty()) {
      return; // gone: parts still running are left to finish, their results dropped; else drain or a part resumes us
    }
    if (!exhausted && !loading) {
      loadMore();
    } else if (exhausted && running == 0) {
      finish(null);
    }
  }

  private void loadMore() {
    loading = true;
    onContext(source.next(), page -> {
      loading = false;
      if (page.failed()) {
        exhausted = true;
        queue.clear();
        if (running == 0 && !gone()) {
          finish(PartFailures.of(page.cause(), null, timeoutMs, requestId));
        }
        return;
      }
      if (page.result().isEmpty()) {
        exhausted = true;
      }
      queue.addAll(page.result());
      pump();
    });
  }

  private void run(Tenant tenant) {
    running++;
    Promise<List<Record>> outcome = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> outcome.tryFail(new PartFailures.TimedOut()));
    Future<List<Record>> found;
    try {
      found = part.run(tenant, query);
    } catch (RuntimeException e) {
      found = Future.failedFuture(e);
    }
    found.onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.succeeded()) {
        outcome.tryComplete(done.result());
      } else {
        outcome.tryFail(done.cause());
      }
    });
    onContext(outcome.future(), done -> {
      running--;
      if (gone()) {
        return;
      }
      if (done.succeeded()) {
        succeeded++;
        for (Record record : done.result()) {
          records++;
          line(new JsonObject().put("tenant", tenant.slug()).put("record", record.toJson()));
        }
      } else {
        failed++;
        error(tenant, PartFailures.of(done.cause(), tenant, timeoutMs, requestId));
      }
      pump();
    });
  }

  private void error(Tenant tenant, Problem problem) {
    line(new JsonObject().put("tenant", tenant.slug()).put("error", problemJson(problem)));
  }

  /** The last line: what was done; {@code failure} when the tenants could not all be listed. */
  private void finish(Problem failure) {
    JsonObject summary = new JsonObject()
      .put("tenants", tenants)
      .put("succeeded", succeeded)
      .put("failed", failed)
      .put("skipped", skipped)
      .put("records", records)
      .put("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    if (failure != null) {
      summary.put("error", problemJson(failure));
    }
    line(new JsonObject().put("summary", summary));
    response.end();
    stopped = true;
  }

  private JsonObject problemJson(Problem problem) {
    return new JsonObject()
      .put("type", problem.typeUri())
      .put("title", problem.title())
      .put("status", problem.status())
      .put("detail", problem.detail())
      .put("instance", "urn:tenantry:request:" + requestId);
  }

  private void line(JsonObject json) {
    response.write(json.toBuffer().appendBuffer(NEWLINE));
  }

  private boolean gone() {
    return stopped || response.closed() || response.ended();
  }

  /** Completions of pools on other loops (a database-tier tenant's own pool) come back to this request's context. */
  private <T> void onContext(Future<T> future, io.vertx.core.Handler<AsyncResult<T>> handler) {
    future.onComplete(done -> {
      if (Vertx.currentContext() == context) {
        handler.handle(done);
      } else {
        context.runOnContext(v -> handler.handle(done));
      }
    });
  }
}
