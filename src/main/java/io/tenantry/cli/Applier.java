package io.tenantry.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the planned changes, a tenant's changes in order, tenants side by side on the pool's threads (which bound
 * how many requests are in flight). A tenant starts after its parent in the file is done, so parents are created
 * and moved before their children; when a parent could not be created, its children are skipped.
 */
final class Applier {
  private final AdminClient client;
  private final ExecutorService pool;
  private final PrintStream out;
  final AtomicInteger done = new AtomicInteger();
  final AtomicInteger created = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  final AtomicInteger skipped = new AtomicInteger();

  Applier(AdminClient client, ExecutorService pool, PrintStream out) {
    this.client = client;
    this.pool = pool;
    this.out = out;
  }

  void apply(List<DesiredTenant> tenants, Map<String, List<Change>> plan) {
    Map<String, DesiredTenant> bySlug = new HashMap<>();
    tenants.forEach(t -> bySlug.put(t.slug(), t));
    Map<String, CompletableFuture<Boolean>> inPlace = new HashMap<>();
    for (DesiredTenant t : tenants) {
      future(t, bySlug, plan, inPlace);
    }
    CompletableFuture.allOf(inPlace.values().toArray(CompletableFuture[]::new)).join();
  }

  /** Completes with whether the tenant exists where the file puts it, after its own changes. */
  private CompletableFuture<Boolean> future(DesiredTenant t, Map<String, DesiredTenant> bySlug,
                                            Map<String, List<Change>> plan, Map<String, CompletableFuture<Boolean>> inPlace) {
    CompletableFuture<Boolean> known = inPlace.get(t.slug());
    if (known != null) {
      return known;
    }
    DesiredTenant parent = t.parent() == null ? null : bySlug.get(t.parent());
    CompletableFuture<Boolean> parentReady = parent == null
      ? CompletableFuture.completedFuture(true) : future(parent, bySlug, plan, inPlace);
    CompletableFuture<Boolean> mine = parentReady.thenApplyAsync(ready -> run(t, plan.get(t.slug()), ready), pool);
    inPlace.put(t.slug(), mine);
    return mine;
  }

  private boolean run(DesiredTenant t, List<Change> changes, boolean parentReady) {
    boolean exists = true;
    for (Change change : changes) {
      if (!parentReady || !exists) {
        skipped.incrementAndGet();
        print("! skipped: " + change.text() + " (" + (parentReady ? "the tenant was not created" : "parent "
          + t.parent() + " is not in place") + ")");
        continue;
      }
      if (change.step() == null) {
        failed.incrementAndGet();
        print(change.line());
        exists &= !change.creates();
        continue;
      }
      try {
        change.step().run(client);
        done.incrementAndGet();
        if (change.creates()) {
          created.incrementAndGet();
        }
        print(change.line());
      } catch (AdminClient.ApiError e) {
        failed.incrementAndGet();
        print("! failed: " + change.text() + ": " + e.status + " " + e.getMessage());
        exists &= !change.creates();
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        print("! failed: " + change.text() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        exists &= !change.creates();
      }
    }
    // a failed move leaves the tenant elsewhere, but it exists: its children can still be created under it
    return parentReady && exists;
  }

  private void print(String line) {
    synchronized (out) {
      out.println(line);
    }
  }
}
