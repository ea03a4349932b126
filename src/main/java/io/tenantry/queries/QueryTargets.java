package io.tenantry.queries;

import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantSearch;
import io.tenantry.tenant.TenantStore;
import io.tenantry.tenant.TenantTree;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a query's target into the tenants it runs in, a batch at a time: a named list is resolved at once (an unknown
 * slug refuses the query before anything streams), a subtree or the whole fleet is read a page at a time as the
 * fan-out needs more, so a large fleet is never held in memory whole.
 */
final class QueryTargets {
  static final int PAGE = 500;

  /** The next batch of tenants; an empty batch: there are no more. */
  @FunctionalInterface
  interface Source {
    Future<List<Tenant>> next();
  }

  private final TenantRegistry registry;
  private final TenantSearch search;
  private final TenantStore store;
  private final TenantTree tree;

  QueryTargets(TenantRegistry registry, TenantSearch search, TenantStore store, TenantTree tree) {
    this.registry = registry;
    this.search = search;
    this.store = store;
    this.tree = tree;
  }

  Future<Source> resolve(QueryRequest.Target target) {
    if (target instanceof QueryRequest.Listed listed) {
      return listed(listed.slugs());
    }
    if (target instanceof QueryRequest.Subtree subtree) {
      return registry.bySlug(subtree.slug()).compose(root -> root
        .map(tenant -> Future.succeededFuture(withRoot(tenant, paged(after -> tree.descendants(tenant.id(), after, PAGE)))))
        .orElseGet(() -> Future.failedFuture(Problem.badRequest("subtree names no tenant: '" + subtree.slug() + "'"))));
    }
    return Future.succeededFuture(paged(after -> store.list(after, PAGE)));
  }

  private Future<Source> listed(List<String> slugs) {
    return search.bySlugs(slugs).compose(found -> {
      Map<String, Tenant> bySlug = found.stream().collect(Collectors.toMap(Tenant::slug, Function.identity()));
      List<String> unknown = slugs.stream().filter(slug -> !bySlug.containsKey(slug)).toList();
      if (!unknown.isEmpty()) {
        return Future.failedFuture(Problem.badRequest("tenants names " + unknown.size() + " unknown tenant"
          + (unknown.size() > 1 ? "s: " : ": ") + unknown.stream().limit(20).collect(Collectors.joining(", "))
          + (unknown.size() > 20 ? ", ..." : "")));
      }
      List<Tenant> ordered = slugs.stream().map(bySlug::get).toList();
      return Future.succeededFuture(once(ordered));
    });
  }

  private static Source once(List<Tenant> tenants) {
    List<List<Tenant>> batches = new ArrayList<>(List.of(tenants));
    return () -> Future.succeededFuture(batches.isEmpty() ? List.of() : batches.remove(0));
  }

  private static Source withRoot(Tenant root, Source below) {
    boolean[] rootGiven = {false};
    return () -> {
      if (!rootGiven[0]) {
        rootGiven[0] = true;
        return Future.succeededFuture(List.of(root));
      }
      return below.next();
    };
  }

  private static Source paged(Function<UUID, Future<List<Tenant>>> load) {
    return new Paged(load);
  }

  /** Pages in id order, each after the last tenant of the one before, until a short page. */
  private static final class Paged implements Source {
    private final Function<UUID, Future<List<Tenant>>> load;
    private UUID last;
    private boolean exhausted;

    Paged(Function<UUID, Future<List<Tenant>>> load) {
      this.load = load;
    }

    @Override
    public Future<List<Tenant>> next() {
      if (exhausted) {
        return Future.succeededFuture(List.of());
      }
      return load.apply(last).map(page -> {
        exhausted = page.size() < PAGE;
        if (!page.isEmpty()) {
          last = page.get(page.size() - 1).id();
        }
        return page;
      });
    }
  }
}
