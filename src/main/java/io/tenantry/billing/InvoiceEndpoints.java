package io.tenantry.billing;

import io.tenantry.admin.Delegation;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's invoices (its admins and its ancestors' read them; super-admins recompute, credit and finalize). The list
 * first recomputes the open period's draft, so what it shows is current.
 */
public final class InvoiceEndpoints {
  private final Invoices invoices;
  private final BillingRun run;
  private final Delegation delegation;

  InvoiceEndpoints(Invoices invoices, BillingRun run, Delegation delegation) {
    this.invoices = invoices;
    this.run = run;
    this.delegation = delegation;
  }

  public void list(RoutingContext ctx) {
    Responses.when(ctx, target(ctx, false).compose(tenant -> currentDraft(tenant)
      .compose(draft -> invoices.list(tenant.id(), tenant.slug()))), list -> {
        JsonArray items = new JsonArray();
        list.forEach(i -> items.add(i.toJson()));
        Responses.json(ctx, 200, new JsonObject().put("items", items));
      });
  }

  /** The open period's draft, recomputed; a tenant paid for by its parent has none. */
  private Future<Void> currentDraft(Tenant tenant) {
    return invoices.compute(tenant.id(), tenant.slug(), BillingPeriod.containing(Instant.now()), false).<Void>mapEmpty()
      .recover(e -> e instanceof Problem p && p.status() == 409 && "paid-by-parent".equals(p.type())
        ? Future.succeededFuture() : Future.failedFuture(e));
  }

  public void get(RoutingContext ctx) {
    UUID id = invoiceId(ctx);
    String accept = String.valueOf(ctx.request().getHeader("Accept"));
    Responses.when(ctx, target(ctx, false).compose(tenant -> invoices.get(tenant.id(), tenant.slug(), id)), invoice -> {
      if (accept.contains("text/csv")) {
        ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"invoice-" + invoice.id() + ".csv\"")
          .end(InvoiceText.csv(invoice));
      } else if (accept.contains("text/html")) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
          .end(InvoiceText.html(invoice));
      } else {
        Responses.json(ctx, 200, invoice.toJson());
      }
    });
  }

  public void recompute(RoutingContext ctx) {
    String given = ctx.queryParams().get("period");
    BillingPeriod period = given == null ? BillingPeriod.containing(Instant.now()) : BillingPeriod.parse(given);
    Responses.when(ctx, target(ctx, true).compose(tenant -> invoices.compute(tenant.id(), tenant.slug(), period, false)),
      invoice -> {
        if (invoice.finalized()) {
          ctx.fail(Problem.conflict("the invoice of " + period + " is finalized and never changes; correct it with a credit note"));
        } else {
          Responses.json(ctx, 200, invoice.toJson());
        }
      });
  }

  public void creditNote(RoutingContext ctx) {
    UUID id = invoiceId(ctx);
    JsonObject body = ctx.body().asJsonObject();
    long amount = body.getLong("amount");
    String reason = body.getString("reason");
    Responses.when(ctx, target(ctx, true).compose(tenant -> invoices.creditNote(tenant.id(), tenant.slug(), id, amount, reason)),
      note -> Responses.json(ctx, 201, note.toJson()));
  }

  public void finalizePeriod(RoutingContext ctx) {
    BillingPeriod period = BillingPeriod.parse(ctx.pathParam("period"));
    if (!period.closedAt(Instant.now())) {
      throw Problem.conflict("the period " + period + " is still open (it ends " + period.end() + "): its invoices stay drafts");
    }
    Responses.when(ctx, run.finalizeAll(period), count -> Responses.json(ctx, 200,
      new JsonObject().put("period_start", period.start().toString()).put("invoices", count)));
  }

  private Future<Tenant> target(RoutingContext ctx, boolean write) {
    return delegation.target(Caller.of(ctx), ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, write);
  }

  private static UUID invoiceId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no invoice " + ctx.pathParam("id") + ": invoice ids are UUIDs");
    }
  }
}
