package io.tenantry.tenant;

import io.tenantry.http.Problem;
import io.tenantry.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Edges of tenant resolution and its cache: headers of whitespace only, hosts that name no single tenant, expiry of
 * remembered unknowns, evicting a tenant cached under a slug by another load, and the archived tenant's read-only
 * rule on a real HTTP request.
 */
class TenantEdgesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close(), 10);
  }

  private static Tenant tenant(String slug, Tenant.Status status) {
    return new Tenant(UUID.randomUUID(), slug, slug, status, Isolation.SHARED, null, 0, null, Instant.now(), null);
  }

  @Test
  void aHeaderOfWhitespaceOnlyIsAnEmptyTenantHeader() {
    TenantSources sources = new TenantSources("api.example.com");
    assertThatThrownBy(() -> sources.collect(null, " \t ", null, null))
      .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.detail()).isEqualTo("X-Tenant-ID is empty"));
    assertThat(TenantSources.stripOptionalWhitespace("")).isEmpty();
    assertThat(TenantSources.stripOptionalWhitespace(" acme\t")).isEqualTo("acme");
    assertThat(TenantSources.stripOptionalWhitespace("acme \u0001")).isEqualTo("acme \u0001");
  }

  @Test
  void aHostThatNamesNoSingleTenantIsRefusedAndAnEmptyOneNamesNone() {
    TenantSources sources = new TenantSources("localhost");
    assertThat(sources.hostSlug("")).isNull();
    assertThat(sources.hostSlug("acme.localhost")).isEqualTo("acme");
    for (String host : new String[] {".localhost", "a.b.localhost"}) {
      assertThatThrownBy(() -> sources.hostSlug(host)).as(host).isInstanceOf(Problem.class)
        .hasMessageContaining("does not name a single tenant");
    }
  }

  @Test
  void aRememberedUnknownIsForgottenOnceItsTimeIsUp() {
    UnknownTenants unknown = new UnknownTenants(10, 5);
    long now = System.nanoTime();
    unknown.remember("ghost", now);
    assertThat(unknown.contains("ghost", now + TimeUnit.MILLISECONDS.toNanos(1))).isTrue();
    assertThat(unknown.contains("ghost", now + TimeUnit.MILLISECONDS.toNanos(6))).isFalse();
    assertThat(unknown.size()).as("the expired entry is dropped when seen").isZero();
  }

  /**
   * A tenant cached by id whose slug was evicted and loaded again has two entries; evicting its id drops both,
   * and leaves other tenants' entries (loaded or still loading) alone.
   */
  @Test
  void evictingATenantDropsEveryEntryThatHoldsIt() {
    Tenant acme = tenant("acme", Tenant.Status.ACTIVE);
    AtomicInteger loads = new AtomicInteger();
    Promise<Optional<Tenant>> slowOther = Promise.promise();
    TenantRegistry registry = new TenantRegistry(id -> {
      loads.incrementAndGet();
      return Future.succeededFuture(Optional.of(acme));
    }, slug -> {
      loads.incrementAndGet();
      return slug.equals("acme") ? Future.succeededFuture(Optional.of(acme)) : slowOther.future();
    }, 60, new UnknownTenants(100, 60_000));
    Await.result(registry.byId(acme.id()), 5);
    registry.evictHere(UUID.randomUUID(), "acme"); // the slug only: acme stays cached by id
    Await.result(registry.bySlug("acme"), 5);
    registry.bySlug("other"); // still loading
    registry.changed(acme.id());
    int before = loads.get();
    Await.result(registry.bySlug("acme"), 5);
    assertThat(loads.get()).as("the slug's own entry was evicted with the id").isEqualTo(before + 1);
    slowOther.complete(Optional.of(tenant("other", Tenant.Status.ACTIVE)));
  }

  @Test
  void anArchivedOrDeletedTenantRefusesWritesButNotReads() {
    Tenant archived = tenant("old", Tenant.Status.ARCHIVED);
    Tenant deleted = tenant("gone", Tenant.Status.DELETED);
    Tenant active = tenant("live", Tenant.Status.ACTIVE);
    assertThat(ArchivedTenants.readOnly(archived)).isTrue();
    assertThat(ArchivedTenants.readOnly(deleted)).isTrue();
    assertThat(ArchivedTenants.readOnly(active)).isFalse();

    Router router = Router.router(vertx);
    router.route("/:slug").handler(ctx -> {
      Tenant tenant = switch (ctx.pathParam("slug")) {
        case "old" -> archived;
        case "gone" -> deleted;
        default -> active;
      };
      tenant.attachTo(ctx);
      Problem refusal = ArchivedTenants.refusal(ctx, Tenant.of(ctx));
      ctx.response().setStatusCode(refusal == null ? 200 : refusal.status())
        .end(refusal == null ? "" : refusal.detail());
    });
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"), 10);
    WebClient client = WebClient.create(vertx);
    try {
      for (HttpMethod read : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS}) {
        assertThat(Await.result(client.request(read, server.actualPort(), "127.0.0.1", "/old").send(), 10)
          .statusCode()).as(read.name()).isEqualTo(200);
      }
      for (HttpMethod write : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE}) {
        var refused = Await.result(client.request(write, server.actualPort(), "127.0.0.1", "/old").send(), 10);
        assertThat(refused.statusCode()).as(write.name()).isEqualTo(403);
        assertThat(refused.bodyAsString()).contains("the tenant is archived").contains("/admin/v1/tenants/old/restore");
      }
      assertThat(Await.result(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/gone").send(), 10)
        .statusCode()).isEqualTo(403);
      assertThat(Await.result(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/live").send(), 10)
        .statusCode()).isEqualTo(200);
    } finally {
      client.close();
    }
  }

  @Test
  void aTenantIsBelowItsAncestorsOnly() {
    UUID root = UUID.randomUUID();
    Tenant child = new Tenant(UUID.randomUUID(), "child", "child", Tenant.Status.ACTIVE, Isolation.SHARED, null, 0, null,
      Instant.now(), null, 0, "root", java.util.List.of(root));
    assertThat(child.below(root)).isTrue();
    assertThat(child.below(UUID.randomUUID())).as("not an ancestor").isFalse();
    assertThat(child.below(child.id())).as("not below itself").isFalse();
    assertThat(child.below(null)).isFalse();
  }
}
