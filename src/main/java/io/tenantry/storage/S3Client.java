package io.tenantry.storage;

import io.tenantry.config.Config;
import io.tenantry.http.Problem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bucket of an S3-compatible store, reached with SigV4-signed requests over Vert.x's core HTTP client (so a body
 * streams with back-pressure and nothing blocks). Path-style ({@code http://host/bucket/key}) or virtual-hosted
 * ({@code http://bucket.host/key}) addressing. Every key it is given was made by {@link S3BlobStore}.
 */
final class S3Client {
  private static final Logger LOG = LoggerFactory.getLogger(S3Client.class);
  private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
  /**
   * How long a {@link #call} may go without a byte before it is given up and sent again: the socket read timeout of
   * the AWS SDKs (30 s), so a stalled store costs one such wait, not the caller's whole budget. Its answer is read
   * whole, so no slow consumer pauses it.
   */
  static final long IDLE_TIMEOUT_MS = 30_000;
  /** A streamed exchange may be paused by its consumer (a slow downloading client) and gets longer. */
  private static final long STREAM_IDLE_TIMEOUT_MS = 60_000;
  static final int SIGNED_BODY_MAX = 64 * 1024;
  static final int ATTEMPTS = 3;
  private static final long FIRST_PAUSE_MS = 100;

  private final Vertx vertx;
  private final HttpClientAgent http;
  private final SigV4 signer;
  private final String bucket;
  private final boolean pathStyle;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String hostHeaderSuffix;
  private final long idleTimeoutMs;

  S3Client(Vertx vertx, Config.S3Settings settings) {
    this(vertx, settings, IDLE_TIMEOUT_MS);
  }

  S3Client(Vertx vertx, Config.S3Settings settings, long idleTimeoutMs) {
    this.vertx = vertx;
    this.idleTimeoutMs = idleTimeoutMs;
    URI endpoint = URI.create(settings.endpoint());
    this.ssl = "https".equals(endpoint.getScheme());
    this.port = endpoint.getPort() > 0 ? endpoint.getPort() : ssl ? 443 : 80;
    this.pathStyle = settings.pathStyle();
    this.bucket = settings.bucket();
    this.host = pathStyle ? endpoint.getHost() : settings.bucket() + "." + endpoint.getHost();
    // what the client sends as Host: the port only when it is not the scheme's default
    this.hostHeaderSuffix = endpoint.getPort() > 0 && endpoint.getPort() != (ssl ? 443 : 80) ? ":" + port : "";
    this.signer = new SigV4(settings.accessKey(), settings.secretKey(), settings.region(), "s3");
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(ssl).setKeepAlive(true).setConnectTimeout(10_000),
      new PoolOptions().setHttp1MaxSize(32));
  }

  String bucket() {
    return bucket;
  }

  /**
   * A signed request for {@code key} (null: the bucket itself), not yet sent.
   *
   * @param query       query parameters (unencoded)
   * @param amzHeaders  x-amz-* headers, signed
   * @param headers     other headers, not signed (Range, Content-Length, Content-MD5)
   * @param payloadHash the body's SHA-256 in hex, or {@link SigV4#UNSIGNED_PAYLOAD}
   */
  Future<HttpClientRequest> request(HttpMethod method, String key, Map<String, String> query, Map<String, String> amzHeaders,
                                    Map<String, String> headers, String payloadHash) {
    return request(method, key, query, amzHeaders, headers, payloadHash, STREAM_IDLE_TIMEOUT_MS);
  }

  private Future<HttpClientRequest> request(HttpMethod method, String key, Map<String, String> query,
                                            Map<String, String> amzHeaders, Map<String, String> headers,
                                            String payloadHash, long idleMs) {
    String path = (pathStyle ? "/" + bucket : "") + "/" + (key == null ? "" : SigV4.uriEncode(key, true));
    TreeMap<String, String> sorted = new TreeMap<>();
    query.forEach((name, value) -> sorted.put(SigV4.uriEncode(name, false), SigV4.uriEncode(value, false)));
    StringBuilder canonicalQuery = new StringBuilder();
    sorted.forEach((name, value) -> canonicalQuery.append(canonicalQuery.length() == 0 ? "" : "&").append(name).append('=').append(value));
    String amzDate = SigV4.amzDate(Instant.now());
    Map<String, String> signed = new LinkedHashMap<>(amzHeaders);
    signed.put("host", host + hostHeaderSuffix);
    signed.put("x-amz-date", amzDate);
    signed.put("x-amz-content-sha256", payloadHash);
    String authorization = signer.authorization(method.name(), path, canonicalQuery.toString(), signed, payloadHash, amzDate);
    RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setSsl(ssl)
      .setURI(path + (canonicalQuery.length() == 0 ? "" : "?" + canonicalQuery)).setIdleTimeout(idleMs);
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    signed.forEach((name, value) -> {
      if (!name.equals("host")) {
        out.set(name, value);
      }
    });
    headers.forEach(out::set);
    out.set("Authorization", authorization);
    options.setHeaders(out);
    return http.request(options);
  }

  /**
   * A request with a body in memory (or none) whose answer is read whole; any status but 2xx fails ({@link S3Failure}).
   * A body above {@link #SIGNED_BODY_MAX} (a multipart upload's part) goes UNSIGNED-PAYLOAD, as a streamed PUT does:
   * hashing megabytes a second time would hold the event loop.
   */
  Future<Answer> call(HttpMethod method, String key, Map<String, String> query, Map<String, String> amzHeaders, Buffer body) {
    String hash = body == null || body.length() == 0 ? SigV4.EMPTY_SHA256
      : body.length() > SIGNED_BODY_MAX ? SigV4.UNSIGNED_PAYLOAD : SigV4.sha256Hex(body.getBytes());
    return onContext(() -> attempt(1, () -> request(method, key, query, amzHeaders, Map.of(), hash, idleTimeoutMs)
      // PUT and POST carry Content-Length even when empty (S3 asks for it)
      .compose(req -> body == null && method != HttpMethod.PUT && method != HttpMethod.POST ? req.send()
        : req.send(body == null ? Buffer.buffer() : body))
      .compose(resp -> resp.body().map(bytes -> new Answer(resp.statusCode(), resp.headers(), bytes)))
      .map(answer -> {
        if (answer.status() / 100 != 2 || answer.body().toString().contains("<Error>")) {
          throw failure(method, answer.status(), answer.body());
        }
        return answer;
      })));
  }

  /**
   * The exchange, again after a pause while it fails in a way S3 asks clients to retry (a 5xx: InternalError,
   * SlowDown, ServiceUnavailable), its connection broke before an answer or the store went silent, at most
   * {@link #ATTEMPTS} times. Every request sent through here can be repeated: its body is in memory, and S3
   * documents each of them as safe to retry (CompleteMultipartUpload included). Pauses are exponential with jitter,
   * so that nodes do not retry in step.
   */
  <T> Future<T> attempt(int n, Supplier<Future<T>> exchange) {
    return exchange.get().recover(failed -> {
      if (n >= ATTEMPTS || !retriable(failed)) {
        return Future.failedFuture(failed);
      }
      long ceiling = FIRST_PAUSE_MS << (n - 1);
      long pause = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
      return vertx.timer(pause).compose(v -> attempt(n + 1, exchange));
    });
  }

  /**
   * A failure a repeated request may not meet: the store's 5xx, a connection closed or refused before an answer, or
   * an exchange that went its idle timeout without a byte.
   */
  static boolean retriable(Throwable failed) {
    if (failed instanceof S3Failure f) {
      return f.status >= 500 && f.status != 501; // 501 NotImplemented is the store's final word
    }
    // a TimeoutException is the idle timeout: the store took the request and went silent
    return failed instanceof HttpClosedException || failed instanceof IOException || failed instanceof TimeoutException;
  }

  /**
   * Runs an exchange on a Vert.x context. The HTTP client answers on the context that sent the request and expects
   * the response's handlers set there as it arrives: a chain started on a thread of its own (a test's, a plain
   * executor's) can set the body handler after the answer ended and then wait until the idle timeout —
   * {@code S3ClientThreadsTest} saw it within a few calls. A caller on an event loop runs as it is; any other (a
   * blocking worker's thread, whose context's answers come on its event loop, or a foreign thread) hands the exchange
   * to its context (a new one for a foreign thread).
   */
  <T> Future<T> onContext(Supplier<Future<T>> exchange) {
    if (Context.isOnEventLoopThread()) {
      return exchange.get();
    }
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> exchange.get().onComplete(done));
    return done.future();
  }

  /**
   * What the client of a request the store failed is told: a failure {@link #retriable} even after the retries is
   * the store's trouble, a 503 storage-unavailable with Retry-After (the operation was not applied: an upload's bytes
   * were not kept, nothing was copied or removed); any other failure as it is.
   */
  static Throwable forClient(Throwable failed) {
    if (!retriable(failed)) {
      return failed;
    }
    boolean answered = failed instanceof S3Failure;
    LOG.warn("file store unavailable: {}", answered ? failed.getMessage()
      : failed.getClass().getSimpleName() + ": " + failed.getMessage());
    return Problem.of(503, "storage-unavailable", "File storage unavailable", "the file store did not complete the "
      + "operation (" + (answered ? failed.getMessage() : "its connection was lost")
      + ") even when asked again; nothing was stored or removed; retry after the Retry-After interval")
      .withHeader("Retry-After", "1");
  }

  static S3Failure failure(HttpMethod method, int status, Buffer body) {
    Matcher m = CODE.matcher(body == null ? "" : body.toString());
    return new S3Failure(status, m.find() ? m.group(1) : "", "the S3 store answered " + method + " with " + status
      + (m.find(0) ? " " + m.group(1) : ""));
  }

  /** Reads a response whose status was not the one wanted into its failure. */
  static Future<Void> failed(HttpMethod method, HttpClientResponse resp) {
    return resp.body().otherwise(Buffer.buffer()).compose(body -> Future.failedFuture(failure(method, resp.statusCode(), body)));
  }

  Future<Void> close() {
    return http.close();
  }

  record Answer(int status, MultiMap headers, Buffer body) {
  }

  /** A refusal or error of the store, with its status and S3 error code. */
  static final class S3Failure extends RuntimeException {
    final int status;
    final String code;

    S3Failure(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
