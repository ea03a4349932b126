package io.tenantry.ratelimit;

import io.tenantry.admin.Delegation;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.UUID;

/**
 * GET and PUT /admin/v1/tenants/{slug}/limits/subtree: a tenant's subtree budget, the default cap of its children's
 * branches, and its own cap within its parent's budget. A super-admin sets anything; a tenant_admin reaches its own
 * tenant and those below it ({@link Delegation}), sets values only within its own tenant's limits, and never its own
 * tenant's cap (only an ancestor's admin does). A change evicts every node's cached limits: all of the subtree draws
 * from it.
 */
public final class SubtreeLimitsEndpoints {
  private static final String[] FIELDS = {"budget", "child_cap", "cap"};

  private final Delegation delegation;
  private final SubtreeStore store;
  private final LimitsCache cache;

  public SubtreeLimitsEndpoints(Delegation delegation, SubtreeStore store, LimitsCache cache) {
    this.delegation = delegation;
    this.store = store;
    this.cache = cache;
  }

  public void get(RoutingContext ctx) {
    delegation.target(Caller.of(ctx), ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, false)
      .compose(this::view)
      .onSuccess(json -> Responses.json(ctx, 200, json))
      .onFailure(ctx::fail);
  }

  /** Each of budget, child_cap and cap: absent keeps it, null removes it, {rate, burst} sets it. */
  public void put(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    Rate[] given = new Rate[FIELDS.length];
    for (int i = 0; i < FIELDS.length; i++) {
      given[i] = rate(body, FIELDS[i]);
    }
    boolean capGiven = body.containsKey("cap");
    delegation.target(caller, ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, true)
      .compose(tenant -> {
        if (capGiven && !caller.superAdmin() && !tenant.below(caller.tenantId())) {
          return Future.failedFuture(Problem.forbidden("only an admin of an ancestor of '" + tenant.slug()
            + "' can set its cap within its parent's subtree budget"));
        }
        return Future.all(store.of(tenant.id()), parentSettings(tenant), callerBound(caller))
          .compose(found -> {
            SubtreeSettings current = found.resultAt(0);
            SubtreeSettings next = new SubtreeSettings(
              body.containsKey("budget") ? given[0] : current.budget(),
              body.containsKey("child_cap") ? given[1] : current.childCap(),
              capGiven ? given[2] : current.cap());
            check(tenant, next, found.resultAt(1), found.resultAt(2), body);
            return store.save(tenant.id(), next);
          })
          .onSuccess(v -> cache.hierarchyChanged())
          .compose(v -> view(tenant));
      })
      .onSuccess(json -> Responses.json(ctx, 200, json))
      .onFailure(ctx::fail);
  }

  /**
   * The bounds, as 422 problems naming them: a child cap within the budget beside it, a cap within the parent's budget
   * (which must exist), and for a tenant_admin every value it sets within its own tenant's limits ({@code bound}).
   */
  private static void check(Tenant tenant, SubtreeSettings next, SubtreeSettings parent, Rate bound, JsonObject body) {
    if (next.childCap() != null) {
      if (next.budget() == null) {
        throw invalid("child_cap needs a subtree budget on '" + tenant.slug() + "' to divide");
      }
      above("child_cap", next.childCap(), next.budget(), "the subtree budget of '" + tenant.slug() + "'");
    }
    if (body.containsKey("cap") && next.cap() != null) {
      if (tenant.parentSlug() == null) {
        throw invalid("'" + tenant.slug() + "' has no parent: a cap applies within a parent's subtree budget");
      }
      if (parent.budget() == null) {
        throw invalid("the parent '" + tenant.parentSlug() + "' has no subtree budget: a cap applies only within one");
      }
      above("cap", next.cap(), parent.budget(), "the subtree budget of '" + tenant.parentSlug() + "'");
    }
    if (bound != null) {
      for (int i = 0; i < FIELDS.length; i++) {
        Rate value = i == 0 ? next.budget() : i == 1 ? next.childCap() : next.cap();
        if (body.containsKey(FIELDS[i]) && value != null) {
          above(FIELDS[i], value, bound, "your own tenant's limits");
        }
      }
    }
  }

  private static void above(String field, Rate value, Rate bound, String what) {
    if (!value.within(bound)) {
      throw invalid(field + " (rate " + value.rate() + ", burst " + value.burst() + ") exceeds " + what
        + " (rate " + bound.rate() + ", burst " + bound.burst() + ")");
    }
  }

  private static Problem invalid(String detail) {
    return Problem.of(422, "invalid-subtree-limit", "Invalid subtree limit", detail);
  }

  /** A tenant_admin's bound: its own tenant's rate and burst in force. None for a super-admin. */
  private Future<Rate> callerBound(Caller caller) {
    if (caller.superAdmin()) {
      return Future.succeededFuture();
    }
    return cache.get(caller.tenantId()).map(limits -> new Rate(limits.effective().rate(), limits.effective().burst()));
  }

  private Future<SubtreeSettings> parentSettings(Tenant tenant) {
    List<UUID> path = tenant.path();
    return path.isEmpty() ? Future.succeededFuture(SubtreeSettings.NONE) : store.of(path.get(path.size() - 1));
  }

  /** The tenant's settings and the cap its branch has in force, from its own setting or its parent's default. */
  private Future<JsonObject> view(Tenant tenant) {
    return Future.all(store.of(tenant.id()), parentSettings(tenant)).map(found -> {
      SubtreeSettings own = found.resultAt(0);
      SubtreeSettings parent = found.resultAt(1);
      JsonObject inForce = null;
      if (parent.budget() != null) {
        if (own.cap() != null) {
          inForce = own.cap().toJson().put("source", "cap");
        } else if (parent.childCap() != null) {
          inForce = parent.childCap().toJson().put("source", "parent_child_cap");
        }
      }
      return new JsonObject()
        .put("tenant_id", tenant.id().toString())
        .put("slug", tenant.slug())
        .put("parent", tenant.parentSlug())
        .mergeIn(own.toJson())
        .put("cap_in_force", inForce);
    });
  }

  /** A {rate, burst} member; null when absent or null. 400 naming the field when malformed. */
  private static Rate rate(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject object) || object.size() != 2) {
      throw Problem.badRequest(field + " must be null or an object with exactly rate and burst");
    }
    Integer rate = LimitsJson.optional(object, "rate", Limits.MAX);
    Integer burst = LimitsJson.optional(object, "burst", Limits.MAX);
    if (rate == null || burst == null) {
      throw Problem.badRequest(field + " needs both rate and burst, whole numbers from 1 to " + Limits.MAX);
    }
    return new Rate(rate, burst);
  }
}
