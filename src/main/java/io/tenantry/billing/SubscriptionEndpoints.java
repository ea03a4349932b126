package io.tenantry.billing;

import io.tenantry.admin.Delegation;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A tenant's subscription history (GET: its admins and its ancestors'; POST: super-admin) and who pays for it
 * (PUT .../billing: super-admin; a tenant paid for by its parent must be priced in the payer's currency).
 */
public final class SubscriptionEndpoints {
  private final Subscriptions subscriptions;
  private final Delegation delegation;
  private final AccountLoader loader;

  SubscriptionEndpoints(Subscriptions subscriptions, Delegation delegation, AccountLoader loader) {
    this.subscriptions = subscriptions;
    this.delegation = delegation;
    this.loader = loader;
  }

  public void list(RoutingContext ctx) {
    Responses.when(ctx, delegation.target(Caller.of(ctx), ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, false)
      .compose(tenant -> subscriptions.of(List.of(tenant.id())).map(all -> all.getOrDefault(tenant.id(), List.of()))),
      changes -> {
        JsonArray items = new JsonArray();
        changes.forEach(c -> items.add(json(c)));
        Responses.json(ctx, 200, new JsonObject().put("items", items));
      });
  }

  public void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    Instant from;
    try {
      from = Instant.parse(body.getString("effective_from"));
    } catch (DateTimeParseException | NullPointerException | ClassCastException e) {
      throw Problem.badRequest("effective_from must be a UTC date-time such as 2026-12-01T00:00:00Z");
    }
    if (!from.truncatedTo(ChronoUnit.SECONDS).equals(from)) {
      throw Problem.badRequest("effective_from must be a whole second");
    }
    Subscriptions.Change change = new Subscriptions.Change(from, body.getString("plan"));
    Responses.when(ctx, delegation.target(Caller.of(ctx), ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, true)
      .compose(tenant -> subscriptions.add(tenant.id(), change)), added -> Responses.json(ctx, 201, json(added)));
  }

  /** Who pays; "parent" needs the tenant's plan in the currency of whoever pays for its parent (else 409). */
  public void putPays(RoutingContext ctx) {
    String pays = ctx.body().asJsonObject().getString("pays");
    Responses.when(ctx, delegation.target(Caller.of(ctx), ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, true)
      .compose(tenant -> ("parent".equals(pays) && !tenant.path().isEmpty()
          ? loader.checkSameCurrencyAsParentsPayer(tenant) : Future.<Void>succeededFuture())
        .compose(checked -> subscriptions.setPays(tenant.id(), pays))),
      done -> Responses.json(ctx, 200, new JsonObject().put("pays", pays)));
  }

  private static JsonObject json(Subscriptions.Change change) {
    return new JsonObject().put("plan", change.plan()).put("effective_from", change.effectiveFrom().toString());
  }
}
