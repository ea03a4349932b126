package io.tenantry.admin;

import io.tenantry.auth.Caller;
import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantTree;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The organization hierarchy under /admin/v1/tenants (docs/tenants.md#hierarchy): creating a child, moving a
 * subtree, listing children, descendants and ancestors, and the delegated guards on suspend, resume and delete.
 * Who reaches which tenant is {@link Delegation}'s answer.
 */
public final class HierarchyEndpoints {
  private static final String CHILDREN_SCOPE = "children";
  private static final String DESCENDANTS_SCOPE = "descendants";

  private final TenantTree tree;
  private final TenantRegistry registry;
  private final NewTenants newTenants;
  private final Isolation defaultIsolation;
  private final Delegation delegation;

  public HierarchyEndpoints(TenantTree tree, TenantRegistry registry, TenantAdminEndpoints tenantAdmin,
                            Isolation defaultIsolation) {
    this.tree = tree;
    this.registry = registry;
    this.newTenants = tenantAdmin.newTenants();
    this.defaultIsolation = defaultIsolation;
    this.delegation = new Delegation(registry);
  }

  /**
   * createTenant: a top-level tenant is a super-admin's (passed on to {@link TenantAdminEndpoints#create}); a child,
   * an admin's of its parent or of an ancestor of it.
   */
  public void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    JsonObject body = ctx.body().asJsonObject();
    String parent = body.getString("parent");
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
    } else if (parent == null && !caller.superAdmin()) {
      ctx.fail(Problem.forbidden("creating a top-level tenant needs a super-admin; name a \"parent\" you administer"));
    } else if (parent == null) {
      ctx.next();
    } else if (!caller.superAdmin() && body.containsKey("database")) {
      ctx.fail(Problem.forbidden("only a super-admin places a tenant's database"));
    } else if (!caller.superAdmin() && body.containsKey("plan")) {
      ctx.fail(Problem.forbidden("only a super-admin chooses a tenant's plan; name a template that has one"));
    } else {
      TenantRequest request = TenantRequest.parse(body, defaultIsolation);
      delegation.target(caller, parent, Delegation.Reach.SELF_OR_BELOW, true)
        .recover(e -> Future.failedFuture(unknownParent(caller, parent, e)))
        .onSuccess(p -> newTenants.create(ctx, body, request, tree.under(p.id())))
        .onFailure(ctx::fail);
    }
  }

  /**
   * Moves a tenant and its subtree under another parent ({@code null}: to the top, a super-admin's move). A
   * tenant_admin moves tenants strictly below its own, to a parent within its own subtree.
   */
  public void move(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String parent = ctx.body().asJsonObject().getString("parent");
    if (caller != null && parent == null && !caller.superAdmin()) {
      ctx.fail(Problem.forbidden("moving a tenant to the top level needs a super-admin"));
      return;
    }
    delegation.target(caller, ctx.pathParam("slug"), Delegation.Reach.BELOW, true)
      .compose(tenant -> newParent(caller, parent)
        .compose(newParent -> tree.move(tenant.id(), newParent == null ? null : newParent.id())))
      .onSuccess(moved -> {
        registry.changed(moved.tenant());
        moved.descendants().forEach(registry::changed);
        Responses.json(ctx, 200, TenantView.of(caller, moved.tenant()));
      })
      .onFailure(ctx::fail);
  }

  public void children(RoutingContext ctx) {
    page(ctx, CHILDREN_SCOPE, tree::children);
  }

  public void descendants(RoutingContext ctx) {
    page(ctx, DESCENDANTS_SCOPE, tree::descendants);
  }

  /** A page of tenants below the one in the path, which the caller must administer (or be). */
  private void page(RoutingContext ctx, String scope, TenantPage below) {
    int limit = Paging.limit(ctx);
    UUID after = Paging.after(ctx, scope);
    Caller caller = Caller.of(ctx);
    delegation.target(caller, ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, false)
      .compose(tenant -> below.load(tenant.id(), after, limit + 1))
      .onSuccess(page -> Responses.json(ctx, 200,
        Paging.page(page, limit, scope, Tenant::id, t -> TenantView.of(caller, t))))
      .onFailure(ctx::fail);
  }

  @FunctionalInterface
  private interface TenantPage {
    Future<List<Tenant>> load(UUID tenantId, UUID after, int limit);
  }

  /** Nearest first; a tenant_admin sees them up to its own tenant, never above it. At most tenancy.max-depth - 1. */
  public void ancestors(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    delegation.target(caller, ctx.pathParam("slug"), Delegation.Reach.SELF_OR_BELOW, false)
      .compose(tenant -> tree.inOrder(visibleAncestors(caller, tenant)))
      .onSuccess(ancestors -> {
        JsonArray items = new JsonArray();
        ancestors.forEach(t -> items.add(TenantView.of(caller, t)));
        Responses.json(ctx, 200, new JsonObject().put("items", items).put("next_cursor", null));
      })
      .onFailure(ctx::fail);
  }

  /** Guard of suspendTenant and resumeTenant: a super-admin, or an admin of an ancestor of the tenant. */
  public void belowCaller(RoutingContext ctx) {
    delegation.target(Caller.of(ctx), ctx.pathParam("slug"), Delegation.Reach.BELOW, true)
      .onSuccess(tenant -> ctx.next())
      .onFailure(ctx::fail);
  }

  /** Guard of deleteTenant: a tenant with children is not deleted (move or delete them first). */
  public void childless(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (!Tenant.SLUG.matcher(slug).matches()) {
      ctx.next();
      return;
    }
    registry.bySlug(slug)
      .compose(tenant -> tenant.isEmpty() ? Future.succeededFuture(false) : tree.hasChildren(tenant.get().id()))
      .onSuccess(hasChildren -> {
        if (hasChildren) {
          ctx.fail(Problem.of(409, "tenant-has-children", "Tenant has children",
            "tenant '" + slug + "' has child tenants; delete them or move them elsewhere first"));
        } else {
          ctx.next();
        }
      })
      .onFailure(ctx::fail);
  }

  private Future<Tenant> newParent(Caller caller, String slug) {
    if (slug == null) {
      return Future.succeededFuture(null);
    }
    return delegation.target(caller, slug, Delegation.Reach.SELF_OR_BELOW, false)
      .recover(e -> Future.failedFuture(unknownParent(caller, slug, e)));
  }

  /** A super-admin learns that a parent does not exist; anyone else gets the same 403 as for any other tenant. */
  private static Throwable unknownParent(Caller caller, String slug, Throwable failure) {
    return caller != null && caller.superAdmin() && failure instanceof Problem p && p.status() == 404
      ? Problem.notFound("unknown parent tenant '" + slug + "'") : failure;
  }

  private static List<UUID> visibleAncestors(Caller caller, Tenant tenant) {
    List<UUID> nearestFirst = new ArrayList<>(tenant.path());
    Collections.reverse(nearestFirst);
    if (caller.superAdmin()) {
      return nearestFirst;
    }
    int own = nearestFirst.indexOf(caller.tenantId());
    return own < 0 ? List.of() : nearestFirst.subList(0, own + 1);
  }
}
