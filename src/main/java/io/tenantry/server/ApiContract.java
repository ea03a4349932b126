package io.tenantry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Loads openapi.yaml twice over: the document as written (served at /openapi.yaml) and the contract that drives
 * routing and validation. vertx-openapi 5.0.7 refuses a contract that mentions media types it cannot validate
 * (application/problem+json responses, application/merge-patch+json bodies), so those entries are dropped from the
 * contract copy only (as is the relative server URL); the routes that take them validate their bodies in code.
 */
public final class ApiContract {
  public static final String RESOURCE = "openapi.yaml";
  private static final Set<String> VALIDATED = Set.of("application/json", "multipart/form-data", "text/plain",
    "application/octet-stream");

  public record Loaded(Buffer document, OpenAPIContract contract) {
  }

  private ApiContract() {
  }

  public static Future<Loaded> load(Vertx vertx) {
    return vertx.fileSystem().readFile(RESOURCE).compose(document -> {
      JsonObject raw;
      try {
        raw = new JsonObject(new ObjectMapper(new YAMLFactory()).readValue(document.getBytes(), Map.class));
      } catch (IOException e) {
        return Future.failedFuture(new IllegalStateException(RESOURCE + " is not valid YAML", e));
      }
      return OpenAPIContract.from(vertx, validatable(raw))
        .map(contract -> new Loaded(document, new CachedValidatorsContract(contract)));
    });
  }

  /** A copy of the document without the media types the validator cannot handle. */
  static JsonObject validatable(JsonObject document) {
    JsonObject copy = document.copy();
    // The served document names its server relatively ("/": wherever it was fetched from), which vertx-openapi
    // refuses as a malformed URL; without servers the router serves the paths as written.
    copy.remove("servers");
    strip(copy);
    return copy;
  }

  private static void strip(Object node) {
    if (node instanceof JsonObject object) {
      Object content = object.getValue("content");
      if (content instanceof JsonObject media) {
        media.fieldNames().removeIf(type -> !VALIDATED.contains(type));
        if (media.isEmpty()) {
          object.remove("content");
        }
      }
      object.forEach(entry -> strip(entry.getValue()));
    } else if (node instanceof io.vertx.core.json.JsonArray array) {
      array.forEach(ApiContract::strip);
    }
  }
}
