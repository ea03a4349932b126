package io.tenantry.relocation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client writing to one tenant as fast as it can on a few connections: it creates records numbered by a sequence
 * ({@code n}) and deletes every tenth one it created, remembering what the server acknowledged (201 created, 204
 * deleted). 429 (rate limit) is not an acknowledgement and simply retried; anything else is an error.
 */
final class ContinuousWriter {
  private final WebClient http;
  private final String token;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger sequence = new AtomicInteger();
  /** id -> n of every acknowledged create */
  final Map<String, Integer> created = new ConcurrentHashMap<>();
  final Map<String, Boolean> deleted = new ConcurrentHashMap<>();
  /** id of every acknowledged update (its data then has "updated": true) */
  final Map<String, Boolean> updated = new ConcurrentHashMap<>();
  final Queue<String> errors = new ConcurrentLinkedQueue<>();
  private final List<Future<Void>> loops = new ArrayList<>();

  ContinuousWriter(WebClient http, String token) {
    this.http = http;
    this.token = token;
  }

  ContinuousWriter start(int connections) {
    for (int i = 0; i < connections; i++) {
      Promise<Void> done = Promise.promise();
      loops.add(done.future());
      next(done);
    }
    return this;
  }

  /** Stops writing and waits for the requests in flight. */
  void stop() {
    stop.set(true);
    io.tenantry.support.Await.result(Future.all(loops), 60);
  }

  private void next(Promise<Void> done) {
    if (stop.get()) {
      done.complete();
      return;
    }
    int n = sequence.incrementAndGet();
    http.post("/api/v1/collections/moving/records").bearerTokenAuthentication(token)
      .sendJsonObject(new JsonObject().put("n", n))
      .onComplete(ar -> {
        if (ar.failed()) {
          errors.add("create " + n + ": " + ar.cause());
          next(done);
          return;
        }
        HttpResponse<Buffer> r = ar.result();
        if (r.statusCode() == 201) {
          String id = r.bodyAsJsonObject().getString("id");
          created.put(id, n);
          if (n % 10 == 0) {
            delete(id, done);
            return;
          }
          if (n % 10 == 7) {
            update(id, n, done);
            return;
          }
        } else if (r.statusCode() != 429) {
          errors.add("create " + n + ": " + r.statusCode() + " " + r.bodyAsString());
        }
        next(done);
      });
  }

  private void update(String id, int n, Promise<Void> done) {
    http.put("/api/v1/collections/moving/records/" + id).bearerTokenAuthentication(token)
      .sendJsonObject(new JsonObject().put("n", n).put("updated", true)).onComplete(ar -> {
        if (ar.succeeded() && ar.result().statusCode() == 200) {
          updated.put(id, true);
        } else if (ar.failed() || ar.result().statusCode() != 429) {
          errors.add("update " + id + ": " + (ar.failed() ? ar.cause() : ar.result().statusCode() + " "
            + ar.result().bodyAsString()));
        }
        next(done);
      });
  }

  private void delete(String id, Promise<Void> done) {
    http.delete("/api/v1/collections/moving/records/" + id).bearerTokenAuthentication(token).send().onComplete(ar -> {
      if (ar.succeeded() && ar.result().statusCode() == 204) {
        deleted.put(id, true);
      } else if (ar.failed() || ar.result().statusCode() != 429) {
        errors.add("delete " + id + ": " + (ar.failed() ? ar.cause() : ar.result().statusCode() + " " + ar.result().bodyAsString()));
      }
      next(done);
    });
  }
}
