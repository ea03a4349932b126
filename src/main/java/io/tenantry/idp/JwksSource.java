package io.tenantry.idp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * Where an issuer's JWKS comes from: a URL fetched with the Vert.x WebClient, or a file read through the Vert.x
 * file system — both asynchronous, so a slow provider or disk never blocks an event loop.
 */
interface JwksSource {
  /** Larger answers are refused: a JWKS is a few keys. */
  int MAX_BYTES = 256 * 1024;
  long FETCH_TIMEOUT_MS = 5000;

  Future<JsonObject> load();

  /** A token that says whether the source changed since it was last loaded (a file's time and size), or null. */
  default Future<String> version() {
    return Future.succeededFuture(null);
  }

  static JwksSource url(WebClient client, String url) {
    return () -> client.getAbs(url).timeout(FETCH_TIMEOUT_MS).putHeader("Accept", "application/json").send()
      .compose(response -> {
        if (response.statusCode() != 200) {
          return Future.failedFuture("the JWKS URL answered " + response.statusCode());
        }
        return parse(response.body());
      });
  }

  static JwksSource file(Vertx vertx, String path) {
    return new JwksSource() {
      @Override
      public Future<JsonObject> load() {
        return vertx.fileSystem().readFile(path).compose(JwksSource::parse);
      }

      @Override
      public Future<String> version() {
        return vertx.fileSystem().props(path).map(props -> props.lastModifiedTime() + "/" + props.size());
      }
    };
  }

  private static Future<JsonObject> parse(Buffer body) {
    if (body == null || body.length() > MAX_BYTES) {
      return Future.failedFuture("the JWKS is empty or larger than " + MAX_BYTES + " bytes");
    }
    try {
      return Future.succeededFuture(body.toJsonObject());
    } catch (RuntimeException e) {
      return Future.failedFuture("the JWKS is not a JSON object");
    }
  }
}
