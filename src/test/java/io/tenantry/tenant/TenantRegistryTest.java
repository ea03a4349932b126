package io.tenantry.tenant;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class TenantRegistryTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger queries = new AtomicInteger();

  @AfterEach
  void close() {
    Await.result(vertx.close(), 10);
  }

  private static Tenant tenant(String slug) {
    return new Tenant(UUID.randomUUID(), slug, slug, Tenant.Status.ACTIVE, Isolation.SHARED, null, 0, null, Instant.now(), null);
  }

  @Test
  void expiredTenantsLeaveTheCacheWhenPurgedAndFreshOnesStay() {
    List<Tenant> tenants = List.of(tenant("gone-a"), tenant("gone-b"), tenant("gone-c"));
    TenantRegistry expiring = new TenantRegistry(id -> count(find(tenants, id)), slug -> count(Optional.empty()), 0,
      new UnknownTenants(100, 60_000));
    TenantRegistry fresh = new TenantRegistry(id -> count(find(tenants, id)), slug -> count(Optional.empty()), 60,
      new UnknownTenants(100, 60_000));
    for (Tenant t : tenants) {
      assertThat(Await.result(expiring.byId(t.id()), 5)).contains(t);
      assertThat(Await.result(fresh.byId(t.id()), 5)).contains(t);
    }
    assertThat(expiring.size()).isEqualTo(3);

    assertThat(expiring.purgeExpired()).as("by id and by slug").isEqualTo(6);
    assertThat(expiring.size()).isZero();
    assertThat(fresh.purgeExpired()).isZero();
    assertThat(fresh.size()).isEqualTo(3);
    assertThat(Await.result(expiring.byId(tenants.get(0).id()), 5)).as("found again on the next lookup").contains(tenants.get(0));
  }

  @Test
  void anExpiredEntryStillLoadingStaysUntilItsLoadCompletes() {
    Tenant slow = tenant("slow");
    Promise<Optional<Tenant>> byId = Promise.promise();
    Promise<Optional<Tenant>> bySlug = Promise.promise();
    TenantRegistry registry = new TenantRegistry(id -> byId.future(), slug -> bySlug.future(), 0,
      new UnknownTenants(100, 60_000));
    Future<Optional<Tenant>> first = registry.byId(slow.id());
    Future<Optional<Tenant>> second = registry.bySlug(slow.slug());
    assertThat(registry.purgeExpired()).as("the callers waiting on these loads share them").isZero();
    assertThat(registry.size()).isEqualTo(1);

    byId.complete(Optional.of(slow));
    bySlug.complete(Optional.of(slow));
    assertThat(Await.result(first, 5)).contains(slow);
    assertThat(Await.result(second, 5)).contains(slow);
    assertThat(registry.purgeExpired()).as("loaded and expired: dropped").isPositive();
    assertThat(registry.size()).isZero();
  }

  @Test
  void aChangeWhileItsSlugLoadsLeavesOtherTenantsCachedAndTheLoadUncached() {
    Tenant changed = tenant("changed");
    Tenant other = tenant("other");
    Promise<Optional<Tenant>> slow = Promise.promise();
    TenantRegistry registry = new TenantRegistry(id -> count(Optional.empty()),
      slug -> {
        queries.incrementAndGet();
        return slug.equals(other.slug()) ? Future.succeededFuture(Optional.of(other)) : slow.future();
      }, 60, new UnknownTenants(100, 60_000));
    assertThat(Await.result(registry.bySlug(other.slug()), 5)).contains(other);
    Future<Optional<Tenant>> loading = registry.bySlug(changed.slug());

    registry.changed(changed.id()); // committed while the load read the old row
    slow.complete(Optional.of(changed));
    assertThat(Await.result(loading, 5)).as("its caller gets what was read").contains(changed);
    assertThat(Await.result(registry.bySlug(other.slug()), 5)).contains(other);
    assertThat(queries.get()).as("the other tenant stayed cached").isEqualTo(2);
    assertThat(Await.result(registry.bySlug(changed.slug()), 5)).contains(changed);
    assertThat(queries.get()).as("the load that raced the change was not cached").isEqualTo(3);
  }

  @Test
  void listeningOnAVertxPurgesExpiredEntriesPeriodically() {
    Tenant t = tenant("periodic");
    TenantRegistry registry = new TenantRegistry(id -> count(Optional.of(t)), slug -> count(Optional.empty()), 0,
      new UnknownTenants(100, 60_000));
    Await.result(registry.listen(vertx), 5);
    assertThat(Await.result(registry.byId(t.id()), 5)).contains(t);
    assertThat(registry.size()).isEqualTo(1);
    Eventually.within(java.time.Duration.ofSeconds(10), "the periodic purge dropped the expired tenant",
      () -> registry.size() == 0);
  }

  private static Optional<Tenant> find(List<Tenant> tenants, UUID id) {
    return tenants.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  @Test
  void anUnknownSlugIsLookedUpOnceWhileRemembered() {
    TenantRegistry registry = new TenantRegistry(id -> count(Optional.empty()), slug -> count(Optional.empty()), 60,
      new UnknownTenants(100, 60_000));
    for (int i = 0; i < 5; i++) {
      assertThat(Await.result(registry.bySlug("ghost"), 5)).isEmpty();
      assertThat(Await.result(registry.byId(new UUID(0, 1)), 5)).isEmpty();
    }
    assertThat(queries.get()).isEqualTo(2);
  }

  @Test
  void aTenantCreatedUnderARememberedSlugIsFoundOnceAnnounced() {
    Tenant created = tenant("newcomer");
    AtomicReference<Optional<Tenant>> stored = new AtomicReference<>(Optional.empty());
    TenantRegistry registry = new TenantRegistry(id -> count(stored.get()), slug -> count(stored.get()), 60,
      new UnknownTenants(100, 60_000));
    assertThat(Await.result(registry.bySlug("newcomer"), 5)).isEmpty();
    stored.set(Optional.of(created));
    registry.changed(created);
    assertThat(Await.result(registry.bySlug("newcomer"), 5)).contains(created);
  }

  @Test
  void rememberedUnknownsAreBounded() {
    UnknownTenants unknown = new UnknownTenants(10, 60_000);
    TenantRegistry registry = new TenantRegistry(id -> count(Optional.empty()), slug -> count(Optional.empty()), 60, unknown);
    for (int i = 0; i < 1_000; i++) {
      Await.result(registry.bySlug("random-" + i), 5);
    }
    assertThat(unknown.size()).isLessThanOrEqualTo(10);
  }

  /**
   * A request on loop B that finds a load started by loop A still pending continues on B: its listener runs on B's
   * thread, never on A's.
   */
  @Test
  void aPendingLoadSeenFromAnotherEventLoopCompletesOnTheCallersLoop() throws Exception {
    Tenant acme = tenant("acme");
    Promise<Optional<Tenant>> slow = Promise.promise();
    TenantRegistry registry = new TenantRegistry(id -> slow.future(), slug -> slow.future(), 60, new UnknownTenants(100, 60_000));
    List<Context> loops = new CopyOnWriteArrayList<>();
    Await.result(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        loops.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(2)), 10);
    Context loopA = loops.get(0);
    Context loopB = loops.get(1);
    CompletableFuture<Thread> threadOfA = new CompletableFuture<>();
    loopA.runOnContext(v -> threadOfA.complete(Thread.currentThread()));
    CompletableFuture<Thread> threadOfB = new CompletableFuture<>();
    CompletableFuture<Thread> listenerOfB = new CompletableFuture<>();
    CompletableFuture<Void> loadStarted = new CompletableFuture<>();
    loopA.runOnContext(v -> {
      registry.bySlug("acme");
      loadStarted.complete(null);
    });
    loadStarted.get(5, TimeUnit.SECONDS);
    loopB.runOnContext(v -> {
      threadOfB.complete(Thread.currentThread());
      registry.bySlug("acme").onComplete(done -> listenerOfB.complete(Thread.currentThread()));
    });
    Thread b = threadOfB.get(5, TimeUnit.SECONDS);
    assertThat(threadOfA.get(5, TimeUnit.SECONDS)).isNotSameAs(b);
    loopA.runOnContext(v -> slow.complete(Optional.of(acme)));
    assertThat(listenerOfB.get(5, TimeUnit.SECONDS)).isSameAs(b);
  }

  private Future<Optional<Tenant>> count(Optional<Tenant> result) {
    queries.incrementAndGet();
    return Future.succeededFuture(result);
  }
}
