package io.tenantry.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocking calls to a Tenantry server's admin API (the CLI runs on its own threads, not an event loop). Answers
 * other than 2xx become {@link ApiError}s carrying the problem's detail; 429 and 503 are retried after their
 * {@code Retry-After} a few times.
 */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final int RETRIES = 5;

  private final URI server;
  private final HttpClient http;
  private final Credentials credentials;

  AdminClient(URI server, Credentials credentials) {
    this.server = server;
    this.credentials = credentials;
    this.http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();
  }

  URI server() {
    return server;
  }

  /** An answer: its status and JSON body (an empty object when there is none). */
  record Answer(int status, JsonObject body) {
  }

  /** A refusal by the server, with what it said. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String type;

    ApiError(int status, String type, String message) {
      super(message);
      this.status = status;
      this.type = type;
    }
  }

  Answer get(String path) {
    return call("GET", path, null, null);
  }

  Answer post(String path, JsonObject body) {
    return call("POST", path, body, "application/json");
  }

  Answer put(String path, JsonObject body) {
    return call("PUT", path, body, "application/json");
  }

  Answer patch(String path, JsonObject body, String contentType) {
    return call("PATCH", path, body, contentType);
  }

  Answer delete(String path) {
    return call("DELETE", path, null, null);
  }

  /** A plain GET without credentials, for public documents; null when it is not there. */
  String getPublic(String path) {
    HttpRequest request = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).GET().build();
    HttpResponse<String> response = send(request);
    return response.statusCode() == 200 ? response.body() : null;
  }

  /** Every item of a paged list (cursor pagination, 500 a page). */
  List<JsonObject> all(String path) {
    List<JsonObject> items = new ArrayList<>();
    String cursor = null;
    String sep = path.contains("?") ? "&" : "?";
    do {
      JsonObject page = get(path + sep + "limit=500" + (cursor == null ? "" : "&cursor=" + encode(cursor))).body();
      JsonArray pageItems = page.getJsonArray("items", new JsonArray());
      for (int i = 0; i < pageItems.size(); i++) {
        items.add(pageItems.getJsonObject(i));
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    return items;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private Answer call(String method, String path, JsonObject body, String contentType) {
    boolean reSignedIn = false;
    for (int attempt = 0; ; attempt++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + credentials.token(this))
        .header("Accept", "application/json");
      if (body != null) {
        request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response = send(request.build());
      int status = response.statusCode();
      if (status == 401 && !reSignedIn && credentials.canSignInAgain()) {
        // an access token expired during a long run: sign in once more and retry
        credentials.forget();
        reSignedIn = true;
        attempt--;
        continue;
      }
      if ((status == 429 || status == 503) && attempt < RETRIES) {
        sleep(response.headers().firstValue("Retry-After").map(AdminClient::seconds).orElse(1L));
        continue;
      }
      if (status / 100 != 2) {
        throw error(response);
      }
      return new Answer(status, json(response.body()));
    }
  }

  /** Downloads {@code path} into {@code file} (streamed to disk); the status must be 200. */
  void download(String path, java.nio.file.Path file) {
    HttpRequest request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofHours(6))
      .header("Authorization", "Bearer " + credentials.token(this)).GET().build();
    try {
      HttpResponse<java.nio.file.Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(file));
      if (response.statusCode() != 200) {
        String body = java.nio.file.Files.readString(file);
        java.nio.file.Files.deleteIfExists(file);
        throw error(new StringResponse(response.statusCode(), body));
      }
    } catch (IOException e) {
      throw CliException.failed("download from " + server + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }

  /** POSTs {@code file} as the body (streamed from disk); answers the JSON reply. */
  Answer upload(String path, java.nio.file.Path file, String contentType) {
    try {
      HttpRequest request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofHours(6))
        .header("Authorization", "Bearer " + credentials.token(this)).header("Content-Type", contentType)
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofFile(file)).build();
      HttpResponse<String> response = send(request);
      if (response.statusCode() / 100 != 2) {
        throw error(response);
      }
      return new Answer(response.statusCode(), json(response.body()));
    } catch (java.io.FileNotFoundException e) {
      throw CliException.usage("cannot read " + file);
    }
  }

  /** A refusal read from a file the body went to. */
  private record StringResponse(int status, String text) {
  }

  private static ApiError error(StringResponse response) {
    JsonObject problem = json(response.text());
    String detail = problem.getString("detail", problem.getString("title", "HTTP " + response.status()));
    return new ApiError(response.status(), problem.getString("type", ""), detail);
  }

  /** Signs in at /auth/token; used by {@link Credentials}. */
  String signIn(JsonObject body) {
    HttpRequest request = HttpRequest.newBuilder(server.resolve("/auth/token")).timeout(TIMEOUT)
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      ApiError e = error(response);
      throw CliException.failed("sign-in refused by " + server + " (" + e.status + "): " + e.getMessage());
    }
    return json(response.body()).getString("access_token");
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw CliException.failed("cannot reach " + server + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }

  private static ApiError error(HttpResponse<String> response) {
    JsonObject problem = json(response.body());
    String detail = problem.getString("detail", problem.getString("title"));
    if (detail == null) {
      detail = response.body().isBlank() ? "HTTP " + response.statusCode() : response.body().strip();
    }
    return new ApiError(response.statusCode(), problem.getString("type", ""), detail);
  }

  private static JsonObject json(String body) {
    if (body == null || body.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  private static long seconds(String retryAfter) {
    try {
      return Math.min(30, Math.max(1, Long.parseLong(retryAfter.strip())));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static void sleep(long seconds) {
    try {
      Thread.sleep(seconds * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }
}
