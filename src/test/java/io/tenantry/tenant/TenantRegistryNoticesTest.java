package io.tenantry.tenant;

import io.tenantry.support.Await;
import io.vertx.core.Context;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant cache's invalidation: change notices from other nodes (well-formed or not), evictions on this node,
 * expiry, and loads that fail or race with an eviction — none of them may leave a stale or failed tenant cached.
 */
class TenantRegistryNoticesTest {
  private final Vertx vertx = Vertx.vertx();
  /** What the "database" holds, by id and slug; loads count their queries. */
  private final Map<UUID, Tenant> rows = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();

  @AfterEach
  void close() {
    Await.result(vertx.close(), 10);
  }

  private static Tenant tenant(String slug) {
    return new Tenant(UUID.randomUUID(), slug, slug, Tenant.Status.ACTIVE, Isolation.SHARED, null, 0, null,
      Instant.now(), null);
  }

  private TenantRegistry registry(int ttlSeconds) {
    return new TenantRegistry(id -> load(Optional.ofNullable(rows.get(id))),
      slug -> load(rows.values().stream().filter(t -> t.slug().equals(slug)).findFirst()), ttlSeconds,
      new UnknownTenants(100, 60_000));
  }

  private Future<Optional<Tenant>> load(Optional<Tenant> found) {
    queries.incrementAndGet();
    return Future.succeededFuture(found);
  }

  private static void await(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("condition not reached in time").isBefore(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void noticesFromOtherNodesEvictByIdAndSlugAndMalformedOnesAreIgnored() {
    TenantRegistry registry = registry(60);
    Await.result(registry.listen(vertx.eventBus()), 10);
    Tenant acme = tenant("acme");
    rows.put(acme.id(), acme);
    assertThat(Await.result(registry.bySlug("acme"), 5)).contains(acme);
    assertThat(Await.result(registry.byId(acme.id()), 5)).contains(acme);
    assertThat(queries).hasValue(1); // the slug's load cached it by id too
    assertThat(registry.size()).isEqualTo(1);

    // a notice without headers, and one whose id is not a UUID: nothing is evicted
    vertx.eventBus().publish(TenantRegistry.CHANGED_ADDRESS, "changed");
    vertx.eventBus().publish(TenantRegistry.CHANGED_ADDRESS, "changed",
      new DeliveryOptions().addHeader(TenantRegistry.TENANT_HEADER, "not-a-uuid"));
    // a notice by id only (another node's changed(UUID)): evicted here
    vertx.eventBus().publish(TenantRegistry.CHANGED_ADDRESS, "changed",
      new DeliveryOptions().addHeader(TenantRegistry.TENANT_HEADER, acme.id().toString()));
    await(() -> registry.size() == 0);
    assertThat(Await.result(registry.bySlug("acme"), 5)).contains(acme);
    assertThat(queries).hasValue(2);

    // a notice by slug only: the slug is looked up again, the id stays cached
    vertx.eventBus().publish(TenantRegistry.CHANGED_ADDRESS, "changed",
      new DeliveryOptions().addHeader(TenantRegistry.SLUG_HEADER, "acme"));
    await(() -> {
      int before = queries.get();
      Await.result(registry.bySlug("acme"), 5);
      return queries.get() > before;
    });
    long misses = registry.misses();
    Await.result(registry.byId(acme.id()), 5);
    assertThat(registry.misses()).isEqualTo(misses);
    assertThat(registry.hits()).isPositive();
  }

  @Test
  void changesOnThisNodeEvictAndAreAnnouncedToTheOthers() {
    TenantRegistry here = registry(60);
    TenantRegistry there = registry(60);
    Await.result(here.listen(vertx.eventBus()), 10);
    Await.result(there.listen(vertx.eventBus()), 10);
    Tenant acme = tenant("acme");
    rows.put(acme.id(), acme);
    Await.result(here.byId(acme.id()), 5);
    Await.result(there.byId(acme.id()), 5);
    here.changed(acme.id());
    assertThat(here.size()).isZero();
    await(() -> there.size() == 0);

    Await.result(there.bySlug("acme"), 5);
    here.changed(acme);
    await(() -> there.size() == 0);

    // without listen() (no event bus) a change is evicted here only
    TenantRegistry alone = registry(60);
    Await.result(alone.byId(acme.id()), 5);
    alone.changed(acme);
    alone.changed(acme.id());
    assertThat(alone.size()).isZero();
  }

  @Test
  void evictHereAndEvictAllForgetTenantsAndRememberedUnknowns() {
    TenantRegistry registry = registry(60);
    Tenant acme = tenant("acme");
    Tenant other = tenant("other");
    rows.put(acme.id(), acme);
    rows.put(other.id(), other);
    Await.result(registry.byId(acme.id()), 5);
    Await.result(registry.byId(other.id()), 5);
    Await.result(registry.bySlug("other"), 5);
    registry.evictHere(acme.id(), acme.slug());
    assertThat(registry.size()).isEqualTo(1);
    assertThat(Await.result(registry.bySlug("ghost"), 5)).isEmpty();
    int before = queries.get();
    registry.evictAll();
    assertThat(registry.size()).isZero();
    assertThat(Await.result(registry.bySlug("ghost"), 5)).isEmpty();
    assertThat(queries.get()).as("the unknown slug was forgotten too").isEqualTo(before + 1);
  }

  @Test
  void anExpiredEntryIsLoadedAgain() {
    TenantRegistry registry = registry(0); // every entry expires at once
    Tenant acme = tenant("acme");
    rows.put(acme.id(), acme);
    Await.result(registry.byId(acme.id()), 5);
    Await.result(registry.byId(acme.id()), 5);
    assertThat(queries).hasValue(2);
  }

  @Test
  void aFailedLoadIsNotCachedNorRememberedAsUnknown() {
    AtomicInteger attempts = new AtomicInteger();
    TenantRegistry registry = new TenantRegistry(id -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("database down"));
    }, slug -> Future.succeededFuture(Optional.empty()), 60, new UnknownTenants(100, 60_000));
    UUID id = UUID.randomUUID();
    assertThat(registry.byId(id).failed()).isTrue();
    assertThat(registry.byId(id).failed()).isTrue();
    assertThat(attempts).hasValue(2);
  }

  /** A load that completes after an eviction (a change it may not have seen) is neither cached nor remembered. */
  @Test
  void aLoadThatRacedWithAnEvictionIsNotCached() {
    Tenant acme = tenant("acme");
    Promise<Optional<Tenant>> slow = Promise.promise();
    Promise<Optional<Tenant>> slowUnknown = Promise.promise();
    AtomicInteger loads = new AtomicInteger();
    TenantRegistry registry = new TenantRegistry(id -> {
      loads.incrementAndGet();
      return loads.get() == 1 ? slow.future() : loads.get() == 2 ? slowUnknown.future() : Future.succeededFuture(Optional.of(acme));
    }, slug -> Future.succeededFuture(Optional.empty()), 60, new UnknownTenants(100, 60_000));
    Future<Optional<Tenant>> first = registry.byId(acme.id());
    registry.changed(UUID.randomUUID()); // any eviction meanwhile
    slow.complete(Optional.of(acme));
    assertThat(first.result()).contains(acme);
    assertThat(registry.size()).isZero();

    UUID ghost = UUID.randomUUID();
    Future<Optional<Tenant>> unknown = registry.byId(ghost);
    registry.evictAll();
    slowUnknown.complete(Optional.empty());
    assertThat(unknown.result()).isEmpty();
    assertThat(Await.result(registry.byId(ghost), 5)).as("not remembered as unknown: loaded again").contains(acme);
    assertThat(loads).hasValue(3);
  }

  /**
   * A load failed on another loop whose listener (which removes the entry) has not run yet: a lookup in that
   * moment sees the failed entry and loads again rather than answering the failure.
   */
  @Test
  void aFailedEntryNotYetRemovedIsLoadedAgain() throws Exception {
    Context loop = vertx.getOrCreateContext();
    Promise<Optional<Tenant>> failing = ((ContextInternal) loop).promise();
    Tenant acme = tenant("acme");
    AtomicInteger loads = new AtomicInteger();
    TenantRegistry registry = new TenantRegistry(id -> loads.incrementAndGet() == 1 ? failing.future()
      : Future.succeededFuture(Optional.of(acme)), slug -> Future.succeededFuture(Optional.empty()), 60,
      new UnknownTenants(100, 60_000));
    assertThat(registry.byId(acme.id()).isComplete()).isFalse();
    CountDownLatch hold = new CountDownLatch(1);
    CompletableFuture<Void> held = new CompletableFuture<>();
    loop.runOnContext(v -> {
      held.complete(null);
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    held.get(5, TimeUnit.SECONDS);
    failing.fail(new IllegalStateException("lost")); // its listeners wait for the held loop
    assertThat(Await.result(registry.byId(acme.id()), 5)).contains(acme);
    hold.countDown();
    assertThat(loads).hasValue(2);
  }

  /** A pending load seen from a thread that is no event loop: the caller gets the load's own future. */
  @Test
  void aPendingLoadSeenOffAnyLoopIsAnsweredByTheLoadItself() throws Exception {
    Tenant acme = tenant("acme");
    Promise<Optional<Tenant>> slow = Promise.promise();
    TenantRegistry registry = new TenantRegistry(id -> slow.future(), slug -> slow.future(), 60,
      new UnknownTenants(100, 60_000));
    Future<Optional<Tenant>> loading = registry.byId(acme.id());
    Future<Optional<Tenant>> waiting = registry.byId(acme.id());
    assertThat(waiting).isSameAs(loading);

    // and from the loading loop itself: completed on that loop, its listener runs there directly
    Context loop = vertx.getOrCreateContext();
    CompletableFuture<Future<Optional<Tenant>>> onLoop = new CompletableFuture<>();
    loop.runOnContext(v -> onLoop.complete(registry.byId(acme.id())));
    Future<Optional<Tenant>> seenOnLoop = onLoop.get(5, TimeUnit.SECONDS);
    loop.runOnContext(v -> slow.complete(Optional.of(acme)));
    assertThat(Await.result(seenOnLoop, 5)).contains(acme);
  }
}
