package io.tenantry.support;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.concurrent.TimeUnit;

/** Blocking HTTP calls for tests (the test thread is not an event loop, so awaiting is fine here). */
public final class Api {
  private final WebClient client;

  public Api(WebClient client) {
    this.client = client;
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  public HttpResponse<Buffer> send(HttpRequest<Buffer> request) {
    return Await.result(request.send(), 30);
  }

  public HttpResponse<Buffer> send(HttpRequest<Buffer> request, JsonObject body) {
    return Await.result(request.sendJsonObject(body), 30);
  }

  public HttpResponse<Buffer> send(HttpRequest<Buffer> request, String contentType, String body) {
    request.putHeader("Content-Type", contentType);
    return Await.result(request.sendBuffer(Buffer.buffer(body)), 30);
  }

  public HttpResponse<Buffer> get(String path, String token) {
    return send(request(HttpMethod.GET, path, token));
  }

  public HttpResponse<Buffer> get(String path, String token, MultiMap headers) {
    HttpRequest<Buffer> request = request(HttpMethod.GET, path, token);
    request.putHeaders(headers);
    return send(request);
  }

  /** GET naming a tenant by X-Tenant-ID and/or host (either may be null) besides the token. */
  public HttpResponse<Buffer> getNaming(String path, String token, String tenantHeader, String host) {
    return send(naming(request(HttpMethod.GET, path, token), tenantHeader, host));
  }

  /** The request naming a tenant by X-Tenant-ID and by Host, each only where given (null: not sent). */
  public static HttpRequest<Buffer> naming(HttpRequest<Buffer> request, String tenantHeader, String host) {
    if (tenantHeader != null) {
      request.putHeader("X-Tenant-ID", tenantHeader);
    }
    if (host != null) {
      request.virtualHost(host);
    }
    return request;
  }

  public HttpResponse<Buffer> post(String path, String token, JsonObject body) {
    return send(request(HttpMethod.POST, path, token), body);
  }

  public HttpResponse<Buffer> put(String path, String token, JsonObject body, String ifMatch) {
    HttpRequest<Buffer> request = request(HttpMethod.PUT, path, token);
    if (ifMatch != null) {
      request.putHeader("If-Match", ifMatch);
    }
    return send(request, body);
  }

  public HttpResponse<Buffer> patch(String path, String token, JsonObject body, String ifMatch) {
    HttpRequest<Buffer> request = request(HttpMethod.PATCH, path, token);
    if (ifMatch != null) {
      request.putHeader("If-Match", ifMatch);
    }
    return send(request, "application/merge-patch+json", body.encode());
  }

  public HttpResponse<Buffer> delete(String path, String token, String ifMatch) {
    HttpRequest<Buffer> request = request(HttpMethod.DELETE, path, token);
    if (ifMatch != null) {
      request.putHeader("If-Match", ifMatch);
    }
    return send(request);
  }

  /** Exchanges credentials for an access token; fails the test when refused. */
  public String token(String email, String password, String tenant) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    HttpResponse<Buffer> response = post("/auth/token", null, body);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("token for " + email + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getString("access_token");
  }
}
