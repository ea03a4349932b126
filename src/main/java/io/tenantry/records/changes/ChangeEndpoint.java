package io.tenantry.records.changes;

import io.tenantry.health.Draining;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.tenant.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/collections/{collection}/changes}: a page of the collection's changes after {@code since} (from
 * the start of the retained audit log without it) and the token to continue from; with
 * {@code Accept: text/event-stream}, a stream of them as they commit ({@link ChangeStream}), resuming after
 * {@code since} or the {@code Last-Event-ID} header.
 */
public final class ChangeEndpoint {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  private final ChangeLog log;
  private final Draining draining;

  public ChangeEndpoint(ChangeLog log, Draining draining) {
    this.log = log;
    this.draining = draining;
  }

  public void handle(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String collection = RecordEndpoints.collection(ctx);
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("text/event-stream")) {
      String resume = ctx.request().getHeader("Last-Event-ID");
      ChangeToken from = resume != null && !resume.isBlank()
        ? ChangeToken.parse(resume.trim(), "Last-Event-ID")
        : ChangeToken.parse(ctx.request().getParam("since"), "since");
      new ChangeStream(ctx.vertx(), log, draining, ctx.response(), tenant, collection, from).start();
      return;
    }
    ChangeToken since = ChangeToken.parse(ctx.request().getParam("since"), "since");
    int limit = limit(ctx.request().getParam("limit"));
    Responses.when(ctx, log.after(tenant, collection, since, limit), page -> {
      JsonArray items = new JsonArray();
      page.changes().forEach(change -> items.add(change.toJson()));
      Responses.json(ctx, 200, new JsonObject().put("items", items).put("next", page.next().toString()));
    });
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the problem below
    }
    throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
  }
}
