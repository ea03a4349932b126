package io.tenantry.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes HTTP/1.x connections that have not completed a request head within http.header-timeout-ms of their last
 * response — a client trickling header bytes keeps resetting the idle timeout, and would otherwise hold its
 * connection (and the server's memory for it) for as long as it likes. Checked by a sweep every half timeout: a
 * connection seen without a request in progress and without a new one at three sweeps in a row has had none for
 * at least the timeout. Per request it costs a map lookup. Confined to one verticle's event loop.
 * <p>
 * While cleartext HTTP/2 is enabled, Vert.x makes a connection known (and this watch starts) only once its first
 * request head is complete — it reads that head to look for an h2c upgrade — so the first head of a connection is
 * bounded by the header size limits and the idle timeout, not by this.
 */
final class StalledConnections {
  private static final class Watch {
    HttpServerRequest last;
    int quietSweeps;
  }

  private final Map<HttpConnection, Watch> watched = new IdentityHashMap<>();

  /** Starts sweeping on the calling verticle's event loop; returns the timer id. */
  long start(Vertx vertx, int timeoutMs) {
    return vertx.setPeriodic(Math.max(1, timeoutMs / 2), id -> sweep());
  }

  void opened(HttpConnection connection) {
    watched.put(connection, new Watch());
    connection.closeHandler(v -> watched.remove(connection));
  }

  /** Wraps the server's request handler: each request head completed counts as activity of its connection. */
  Handler<HttpServerRequest> watching(Handler<HttpServerRequest> requests) {
    return request -> {
      Watch watch = watched.get(request.connection());
      if (watch != null) {
        if (request.version() == HttpVersion.HTTP_2) {
          watched.remove(request.connection()); // streams multiplex: HTTP/2 has its own flow control and timeouts
        } else {
          watch.last = request;
          watch.quietSweeps = 0;
        }
      }
      requests.handle(request);
    };
  }

  private void sweep() {
    List<HttpConnection> stalled = null;
    for (Map.Entry<HttpConnection, Watch> entry : watched.entrySet()) {
      Watch watch = entry.getValue();
      boolean quiet = watch.last == null || watch.last.response().ended();
      watch.quietSweeps = quiet ? watch.quietSweeps + 1 : 0;
      if (watch.quietSweeps >= 3) {
        if (stalled == null) {
          stalled = new ArrayList<>();
        }
        stalled.add(entry.getKey());
      }
    }
    if (stalled != null) {
      for (HttpConnection connection : stalled) {
        watched.remove(connection);
        connection.close();
      }
    }
  }

  int size() {
    return watched.size();
  }
}
