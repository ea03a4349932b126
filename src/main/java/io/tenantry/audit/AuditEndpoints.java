package io.tenantry.audit;

import io.tenantry.admin.Delegation;
import io.tenantry.auth.Caller;
import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * /admin/v1/tenants/{slug}/audit[/export|/verify]: a tenant's audit log for its tenant_admins (and its ancestors'),
 * and for super-admins. Anyone else gets the same 403 whether or not the tenant exists.
 */
public final class AuditEndpoints {
  public static final String NDJSON = "application/x-ndjson";
  private static final Set<String> OUTCOMES = Set.of(AuditEntry.SUCCESS, AuditEntry.DENIED, AuditEntry.FAILED);
  private static final int EXPORT_PAGE = 500;

  private final Delegation delegation;
  private final AuditLog log;
  private final AuditSealer sealer;
  private final AuditVerifier verifier;
  private final PlatformAuditLog platform;

  AuditEndpoints(Delegation delegation, AuditLog log, AuditSealer sealer, PlatformAuditLog platform) {
    this.delegation = delegation;
    this.log = log;
    this.sealer = sealer;
    this.verifier = new AuditVerifier(log);
    this.platform = platform;
  }

  /** GET /admin/v1/audit: the platform log (actions concerning no tenant), for super-admins (the route's guard). */
  public void listPlatform(RoutingContext ctx) {
    AuditLog.Filter filter = filter(ctx);
    int limit = Paging.limit(ctx);
    UUID before = Paging.after(ctx, "audit:platform");
    Responses.when(ctx, platform.page(filter, before, limit + 1)
        .map(rows -> Paging.page(rows, limit, "audit:platform", AuditRow::id, AuditRow::toJson)),
      page -> Responses.json(ctx, 200, page));
  }

  /** A page of entries, newest first; with {@code Accept: application/x-ndjson}, every matching entry as NDJSON. */
  public void list(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains(NDJSON)) {
      export(ctx);
      return;
    }
    AuditLog.Filter filter = filter(ctx);
    int limit = Paging.limit(ctx);
    Responses.when(ctx, administered(ctx).compose(tenant -> {
        UUID before = Paging.after(ctx, scope(tenant));
        return log.page(tenant, filter, before, limit + 1).map(rows ->
          Paging.page(rows, limit, scope(tenant), AuditRow::id, AuditRow::toJson));
      }),
      page -> Responses.json(ctx, 200, page));
  }

  /** Every matching entry, newest first, one JSON object a line; the next page is read when the client has taken the last. */
  public void export(RoutingContext ctx) {
    AuditLog.Filter filter = filter(ctx);
    Responses.when(ctx, administered(ctx), tenant -> {
      HttpServerResponse response = ctx.response().setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", NDJSON);
      stream(response, tenant, filter, null).onComplete(done -> {
        if (done.succeeded()) {
          response.end();
        } else {
          response.reset(); // the client sees a truncated stream, never a partial one passed off as whole
        }
      });
    });
  }

  private Future<Void> stream(HttpServerResponse response, Tenant tenant, AuditLog.Filter filter, UUID before) {
    return log.page(tenant, filter, before, EXPORT_PAGE).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture();
      }
      Buffer lines = Buffer.buffer();
      rows.forEach(row -> lines.appendString(row.toJson().encode()).appendByte((byte) '\n'));
      response.write(lines);
      UUID last = rows.get(rows.size() - 1).id();
      return drained(response).compose(v -> rows.size() < EXPORT_PAGE
        ? Future.succeededFuture()
        : stream(response, tenant, filter, last));
    });
  }

  private static Future<Void> drained(HttpServerResponse response) {
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> drained = Promise.promise();
    response.drainHandler(v -> drained.tryComplete());
    response.closeHandler(v -> drained.tryFail("the client went away"));
    return drained.future();
  }

  /** Seals what is pending, then walks the chain. */
  public void verify(RoutingContext ctx) {
    Responses.when(ctx, administered(ctx).compose(tenant -> sealer.seal(tenant, true)
        .compose(sealed -> verifier.verify(tenant))),
      result -> Responses.json(ctx, 200, result));
  }

  private Future<Tenant> administered(RoutingContext ctx) {
    return delegation.target(Caller.of(ctx), ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, false);
  }

  private static String scope(Tenant tenant) {
    return "audit:" + tenant.id();
  }

  static AuditLog.Filter filter(RoutingContext ctx) {
    String actor = ctx.request().getParam("actor");
    UUID actorId = null;
    if (actor != null) {
      try {
        actorId = UUID.fromString(actor);
      } catch (IllegalArgumentException e) {
        throw Problem.badRequest("actor is the id (a UUID) of a user or an API key");
      }
    }
    String outcome = ctx.request().getParam("outcome");
    if (outcome != null && !OUTCOMES.contains(outcome)) {
      throw Problem.badRequest("outcome is one of " + String.join(", ", List.copyOf(new java.util.TreeSet<>(OUTCOMES))));
    }
    return new AuditLog.Filter(actorId, actionPattern(ctx.request().getParam("action")), time(ctx, "from"),
      time(ctx, "to"), outcome);
  }

  /** An exact action, or a prefix ending in {@code *} ({@code record.*}); LIKE's own wildcards are escaped. */
  static String actionPattern(String action) {
    if (action == null) {
      return null;
    }
    boolean prefix = action.endsWith("*");
    String literal = (prefix ? action.substring(0, action.length() - 1) : action)
      .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    if (literal.contains("*")) {
      throw Problem.badRequest("action is an action name, or a prefix ending in * (record.*)");
    }
    return prefix ? literal + "%" : literal;
  }

  private static OffsetDateTime time(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(name + " is an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z");
    }
  }
}
