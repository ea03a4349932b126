package io.tenantry.records.changes;

import io.tenantry.support.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A Server-Sent Events client for tests: collects the events of one stream and notes when it ends. */
final class EventStream implements AutoCloseable {
  /** One dispatched event: its id (token) and its data. */
  record Event(String id, JsonObject data) {
  }

  final List<Event> events = new CopyOnWriteArrayList<>();
  final AtomicBoolean ended = new AtomicBoolean();
  volatile long endedAt;
  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();
  final HttpClientResponse response;

  private EventStream(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
  }

  static EventStream open(Vertx vertx, int port, String path, String token, String lastEventId) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI(path).putHeader("Authorization", "Bearer " + token).putHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    // The handlers are set on the event loop as the answer arrives: set here after an await, the stream's first
    // chunks (the events a resumed stream opens with) could be delivered and lost before them.
    Promise<EventStream> opened = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.request(options).compose(req -> req.send()).map(response -> {
      EventStream stream = new EventStream(client, response);
      response.handler(stream::received);
      response.endHandler(end -> stream.end());
      response.exceptionHandler(e -> stream.end());
      return stream;
    }).onComplete(opened));
    return Await.result(opened.future(), 30);
  }

  private void end() {
    if (!ended.get()) {
      endedAt = System.nanoTime();
      ended.set(true);
    }
  }

  private synchronized void received(io.vertx.core.buffer.Buffer chunk) {
    pending.append(chunk.toString());
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        events.add(new Event(id, new JsonObject(data)));
      }
    }
  }

  List<String> ids() {
    List<String> ids = new ArrayList<>();
    events.forEach(e -> ids.add(e.data().getString("id")));
    return ids;
  }

  @Override
  public void close() {
    Await.result(client.close(), 10);
  }
}
