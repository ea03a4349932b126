package io.tenantry.http;

import java.util.Map;

/**
 * A failure that becomes an RFC 9457 application/problem+json response. Carried as the cause of a failed
 * Future or RoutingContext; the pipeline's ProblemHandler renders it. No stack trace: it is an expected outcome.
 */
public final class Problem extends RuntimeException {
  /** Every problem type is this plus its short name; each is documented in docs/errors.md under that name. */
  public static final String TYPE_BASE = "https://tenantry.io/problems/";
  private final int status;
  private final String type;
  private final String title;
  private final Map<String, String> headers;
  /** Extension members of the body (RFC 9457 section 3.2), e.g. a list of validation errors. */
  private io.vertx.core.json.JsonObject members = new io.vertx.core.json.JsonObject();

  private Problem(int status, String type, String title, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.headers = headers;
  }

  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(status, type, title, detail, Map.of());
  }

  public Problem withHeader(String name, String value) {
    Map<String, String> copy = new java.util.HashMap<>(headers);
    copy.put(name, value);
    return new Problem(status, type, title, getMessage(), Map.copyOf(copy));
  }

  public static Problem badRequest(String detail) {
    return of(400, "bad-request", "Bad request", detail);
  }

  public static Problem unauthorized(String detail) {
    return of(401, "unauthorized", "Unauthorized", detail)
      .withHeader("WWW-Authenticate", "Bearer realm=\"tenantry\"");
  }

  public static Problem forbidden(String detail) {
    return of(403, "forbidden", "Forbidden", detail);
  }

  public static Problem notFound(String detail) {
    return of(404, "not-found", "Not found", detail);
  }

  public static Problem conflict(String detail) {
    return of(409, "conflict", "Conflict", detail);
  }

  public static Problem preconditionFailed(String detail) {
    return of(412, "precondition-failed", "Precondition failed", detail);
  }

  public static Problem unavailable(String detail, int retryAfterSeconds) {
    return of(503, "unavailable", "Service unavailable", detail)
      .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
  }

  public int status() {
    return status;
  }

  /** The short name, e.g. "bad-request". */
  public String type() {
    return type;
  }

  /** The absolute type URI of the response body, e.g. https://tenantry.io/problems/bad-request. */
  public String typeUri() {
    return TYPE_BASE + type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** A copy with extension members added to its body. */
  public Problem withMembers(io.vertx.core.json.JsonObject extra) {
    Problem copy = new Problem(status, type, title, getMessage(), headers);
    copy.members = members.copy().mergeIn(extra);
    return copy;
  }

  public io.vertx.core.json.JsonObject members() {
    return members;
  }
}
