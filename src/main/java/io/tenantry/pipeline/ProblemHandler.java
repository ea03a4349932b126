package io.tenantry.pipeline;

import io.tenantry.http.Problem;
import io.tenantry.http.RequestIds;
import io.tenantry.http.ValidationMessages;
import io.tenantry.pool.PoolBusy;
import io.tenantry.tenant.TenantGone;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeoutException;

/**
 * The one place failures become responses: application/problem+json with type, title, status, detail and
 * instance (the request id). Unexpected failures are logged with the request id and answered with a generic
 * 500 — never a stack trace or SQL text.
 */
public final class ProblemHandler {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private ProblemHandler() {
  }

  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      // Too late for a problem body; cut the connection so the client sees a failure, not a truncated 200.
      ctx.request().connection().close();
      return;
    }
    send(ctx, toProblem(ctx));
  }

  public static void send(RoutingContext ctx, Problem problem) {
    JsonObject body = new JsonObject()
      .put("type", problem.typeUri())
      .put("title", problem.title())
      .put("status", problem.status())
      .put("detail", problem.detail())
      .put("instance", "urn:tenantry:request:" + RequestIds.of(ctx));
    problem.members().forEach(member -> body.put(member.getKey(), member.getValue()));
    problem.headers().forEach(ctx.response()::putHeader);
    ctx.response()
      .setStatusCode(problem.status())
      .putHeader("Content-Type", CONTENT_TYPE)
      .end(body.toBuffer());
  }

  static Problem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure == null) {
      return forStatus(ctx.statusCode());
    }
    if (failure instanceof Problem problem) {
      return problem;
    }
    if (failure instanceof HttpException http) {
      // vertx-openapi's router wraps validation failures: status 400 with the ValidatorException as cause.
      if (http.getCause() instanceof ValidatorException invalid) {
        return validation(ctx, invalid);
      }
      return forStatus(http.getStatusCode());
    }
    if (failure instanceof ValidatorException invalid) {
      return validation(ctx, invalid);
    }
    if (failure instanceof DecodeException) {
      return Problem.badRequest("the request body is not valid JSON");
    }
    if (failure instanceof PoolBusy busy) {
      return Problem.unavailable(busy.getMessage(), busy.retryAfterSeconds());
    }
    if (failure instanceof TenantGone) {
      return Problem.notFound("unknown tenant");
    }
    Problem dependency = DependencyProblems.toProblem(failure, ctx.request().method());
    if (dependency != null) {
      return dependency; // a database down, restarting or gone mid-request: 503 with Retry-After, by dependency
    }
    if (failure instanceof PgException pg) {
      Problem mapped = PgErrors.toProblem(pg);
      if (mapped != null) {
        return mapped;
      }
    }
    if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      // vertx-web's own refusals, e.g. fail(400, "For HTTP/1.x requests, the 'Host' header is required").
      Problem generic = forStatus(ctx.statusCode());
      return failure instanceof io.vertx.core.VertxException && failure.getMessage() != null
        ? Problem.of(generic.status(), generic.type(), generic.title(), failure.getMessage())
        : generic;
    }
    if (failure instanceof io.vertx.sqlclient.ClosedConnectionException) {
      return Problem.unavailable("the database connection was lost; retry", 1);
    }
    if (failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")) {
      // the pool's acquire timeout: no connection within db.connect-timeout-ms (busy, or the server is not answering)
      return Problem.unavailable("the database is busy; try again", 1);
    }
    LOG.atError().setCause(failure)
      .addKeyValue("requestId", RequestIds.of(ctx))
      .addKeyValue("path", ctx.request().path())
      .log("unhandled failure");
    return Problem.of(500, "internal", "Internal server error", "an unexpected error occurred");
  }

  private static Problem validation(RoutingContext ctx, ValidatorException invalid) {
    if (invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT) {
      return Problem.of(415, "unsupported-media-type", "Unsupported media type", invalid.getMessage());
    }
    return Problem.badRequest(ValidationMessages.describe(invalid, ctx));
  }

  static Problem forStatus(int status) {
    return switch (status) {
      case 400 -> Problem.badRequest("the request is malformed");
      case 401 -> Problem.unauthorized("authentication is required");
      case 403 -> Problem.forbidden("not allowed");
      case 404 -> Problem.notFound("no such resource");
      case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", "this method is not allowed here");
      case 413 -> Problem.of(413, "payload-too-large", "Payload too large", "the request body exceeds the configured limit");
      case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type", "send application/json");
      case 503 -> Problem.unavailable("temporarily unavailable", 1);
      default -> status >= 400 && status < 500
        ? Problem.of(status, "client-error", "Client error", "the request cannot be served")
        : Problem.of(500, "internal", "Internal server error", "an unexpected error occurred");
    };
  }
}
