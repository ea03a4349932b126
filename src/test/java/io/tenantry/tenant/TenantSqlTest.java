package io.tenantry.tenant;

import io.tenantry.http.Problem;
import io.tenantry.pool.PoolFactory;
import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL of platform.tenants (TenantStore, TenantTree, TenantSearch) against a real platform database, run
 * directly, as the runtime role the server uses: every statement and every answer it can give — found, unknown, a
 * duplicate slug (409), a refused row passed on, a hierarchy too deep or cyclic (409). The admin API tests cover the
 * same through HTTP; here each branch is reached on purpose.
 */
class TenantSqlTest {
  private static TestServer ts;
  private static Pool pool;
  private static TenantStore store;
  private static TenantTree tree;
  private static TenantSearch search;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("tenancy.max-depth", "3"));
    pool = new PoolFactory(ts.vertx, ts.config).platform();
    store = new TenantStore(pool);
    tree = new TenantTree(pool, 3);
    search = new TenantSearch(pool);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      Await.result(pool.close());
    }
    if (ts != null) {
      ts.close();
    }
  }

  private static String slug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Tenant root(String prefix) {
    return Await.result(store.create(UUID.randomUUID(), slug(prefix), "Root " + prefix, Isolation.SHARED, null));
  }

  private static Throwable failure(Future<?> future) {
    try {
      Await.result(future);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  private static void assertProblem(Throwable failure, int status, String type) {
    assertThat(failure).isInstanceOfSatisfying(Problem.class, p -> {
      assertThat(p.status()).isEqualTo(status);
      assertThat(p.type()).isEqualTo(type);
    });
  }

  @Test
  void storeCreatesLooksUpChangesListsAndDeletesTenants() {
    UUID id = UUID.randomUUID();
    String slug = slug("store");
    DbTarget target = new DbTarget("127.0.0.1", 5432, "tenantry_store_db");
    Tenant created = Await.result(store.create(id, slug, "Store", Isolation.DATABASE, target));
    assertThat(created.status()).isEqualTo(Tenant.Status.PROVISIONING);
    assertThat(created.database()).isEqualTo(target);
    assertThat(created.schema()).isEqualTo(TenantNames.DATABASE_TIER_SCHEMA);
    assertThat(Await.result(store.byId(id))).contains(created);
    assertThat(Await.result(store.bySlug(slug))).contains(created);
    assertThat(Await.result(store.byId(UUID.randomUUID()))).isEmpty();
    assertThat(Await.result(store.bySlug("no-such-tenant"))).isEmpty();

    assertProblem(failure(store.create(UUID.randomUUID(), slug, "Again", Isolation.SHARED, null)), 409, "conflict");
    // a row the table refuses for another reason (the slug's CHECK) is passed on as it is
    assertThat(failure(store.create(UUID.randomUUID(), "UPPER", "Bad", Isolation.SHARED, null)))
      .isInstanceOfSatisfying(PgException.class, e -> assertThat(e.getSqlState()).isEqualTo("23514"));

    Tenant active = Await.result(store.provisioned(id, 7));
    assertThat(active.active()).isTrue();
    assertThat(active.schemaVersion()).isEqualTo(7);
    assertThat(Await.result(store.setStatus(slug, Tenant.Status.SUSPENDED))).map(Tenant::status)
      .contains(Tenant.Status.SUSPENDED);
    assertThat(Await.result(store.setStatus("no-such-tenant", Tenant.Status.ACTIVE))).isEmpty();
    assertThat(Await.result(store.setStatementTimeout(slug, 1500))).map(Tenant::statementTimeoutMs).contains(1500);
    assertThat(Await.result(store.rename(id, "Renamed"))).map(Tenant::name).contains("Renamed");
    assertThat(Await.result(store.plan(id))).contains("default");
    assertThat(Await.result(store.plan(UUID.randomUUID()))).isEmpty();

    JsonObject json = Await.result(store.byId(id)).orElseThrow().toJson();
    assertThat(json.getJsonObject("database").getString("name")).isEqualTo("tenantry_store_db");
    assertThat(json.getInteger("statement_timeout_ms")).isEqualTo(1500);
    assertThat(json.containsKey("migration_error")).isFalse();

    List<Tenant> first = Await.result(store.list(null, 1));
    assertThat(first).hasSize(1);
    List<Tenant> rest = Await.result(store.list(first.get(0).id(), 1000));
    assertThat(rest).noneMatch(t -> t.id().equals(first.get(0).id()));
    assertThat(rest.size() + 1).isEqualTo(Await.result(store.list(null, 1000)).size());

    // a failure that is no PostgreSQL error (here: the pool is closed) is passed on as it is too
    Pool closed = new PoolFactory(ts.vertx, ts.config).platformSide("closed-pool", 1);
    Await.result(closed.close());
    assertThat(failure(new TenantStore(closed).create(UUID.randomUUID(), slug("closed"), "Closed", Isolation.SHARED,
      null))).isNotInstanceOf(PgException.class).isNotInstanceOf(Problem.class);

    Await.result(store.delete(id));
    assertThat(Await.result(store.byId(id))).isEmpty();
  }

  @Test
  void theTreeInsertsChildrenUpToTheMaximumDepthAndMovesSubtreesWithoutCycles() {
    Tenant top = root("top");
    assertThat(tree.maxDepth()).isEqualTo(3);
    Tenant child = Await.result(tree.under(top.id()).insert(UUID.randomUUID(), slug("child"), "Child",
      Isolation.SHARED, null));
    assertThat(child.parentSlug()).isEqualTo(top.slug());
    assertThat(child.path()).containsExactly(top.id());
    assertThat(child.below(top.id())).isTrue();
    assertThat(child.below(null)).isFalse();
    assertThat(child.depth()).isEqualTo(2);
    Tenant grandchild = Await.result(tree.under(child.id()).insert(UUID.randomUUID(), slug("grand"), "Grand",
      Isolation.DATABASE, new DbTarget("127.0.0.1", 5432, "tenantry_" + slug("grand").replace('-', '_'))));
    assertThat(grandchild.path()).containsExactly(top.id(), child.id());
    assertThat(grandchild.database()).isNotNull();

    assertProblem(failure(tree.under(grandchild.id()).insert(UUID.randomUUID(), slug("deep"), "Deep",
      Isolation.SHARED, null)), 409, "hierarchy-too-deep");
    assertProblem(failure(tree.under(UUID.randomUUID()).insert(UUID.randomUUID(), slug("orphan"), "Orphan",
      Isolation.SHARED, null)), 404, "not-found");
    assertProblem(failure(tree.under(top.id()).insert(UUID.randomUUID(), child.slug(), "Dup", Isolation.SHARED, null)),
      409, "conflict");
    assertThat(failure(tree.under(top.id()).insert(UUID.randomUUID(), "NO", "Bad", Isolation.SHARED, null)))
      .isInstanceOf(PgException.class);

    assertThat(Await.result(tree.children(top.id(), null, 10))).extracting(Tenant::id).containsExactly(child.id());
    assertThat(Await.result(tree.children(top.id(), child.id(), 10))).isEmpty();
    List<Tenant> below = Await.result(tree.descendants(top.id(), null, 10));
    assertThat(below).extracting(Tenant::id).containsExactlyInAnyOrder(child.id(), grandchild.id());
    assertThat(Await.result(tree.descendants(top.id(), below.get(0).id(), 10))).extracting(Tenant::id)
      .containsExactly(below.get(1).id());
    assertThat(Await.result(tree.inOrder(List.of(grandchild.id(), UUID.randomUUID(), top.id()))))
      .extracting(Tenant::id).containsExactly(grandchild.id(), top.id());
    assertThat(Await.result(tree.hasChildren(top.id()))).isTrue();
    assertThat(Await.result(tree.hasChildren(grandchild.id()))).isFalse();

    // cycles: under itself, under its own descendant
    assertProblem(failure(tree.move(child.id(), child.id())), 409, "hierarchy-cycle");
    assertProblem(failure(tree.move(top.id(), grandchild.id())), 409, "hierarchy-cycle");
    // too deep: the two-level subtree under child's level-2 sibling would reach level 4
    Tenant other = root("other");
    Tenant sibling = Await.result(tree.under(other.id()).insert(UUID.randomUUID(), slug("sib"), "Sib",
      Isolation.SHARED, null));
    assertProblem(failure(tree.move(child.id(), sibling.id())), 409, "hierarchy-too-deep");
    assertProblem(failure(tree.move(UUID.randomUUID(), null)), 404, "not-found");

    // to the top: the subtree's paths are rewritten
    TenantTree.Moved moved = Await.result(tree.move(child.id(), null));
    assertThat(moved.tenant().path()).isEmpty();
    assertThat(moved.tenant().parentSlug()).isNull();
    assertThat(moved.descendants()).containsExactly(grandchild.id());
    assertThat(Await.result(store.byId(grandchild.id())).orElseThrow().path()).containsExactly(child.id());
    // and under another root
    TenantTree.Moved back = Await.result(tree.move(child.id(), other.id()));
    assertThat(back.tenant().path()).containsExactly(other.id());
    assertThat(Await.result(store.byId(grandchild.id())).orElseThrow().path()).containsExactly(other.id(), child.id());
  }

  @Test
  void searchNarrowsByEveryFilterAndCountsByStateTierAndPlan() {
    String prefix = "srch" + UUID.randomUUID().toString().substring(0, 6);
    Tenant a = Await.result(store.create(UUID.randomUUID(), prefix + "-a", "Alpha_%", Isolation.SHARED, null));
    Tenant b = Await.result(tree.under(a.id()).insert(UUID.randomUUID(), prefix + "-b", "Beta", Isolation.SCHEMA, null));
    Await.result(store.provisioned(a.id(), 1));
    assertThat(b.schema()).isEqualTo(TenantNames.schema(b.id()));
    OffsetDateTime before = OffsetDateTime.now().minusHours(1);
    OffsetDateTime after = OffsetDateTime.now().plusHours(1);

    TenantFilter all = new TenantFilter(Tenant.Status.PROVISIONING, Isolation.SCHEMA, "default", a.id(), before, after,
      prefix.toUpperCase());
    List<TenantSearch.Found> found = Await.result(search.page(all, null, 10));
    assertThat(found).extracting(f -> f.tenant().id()).containsExactly(b.id());
    assertThat(found.get(0).toJson().getString("plan")).isEqualTo("default");
    assertThat(Await.result(search.page(all, b.id(), 10))).isEmpty();
    // LIKE's wildcards in the prefix are taken literally: "alpha_%" is a prefix of "Alpha_%" only
    TenantFilter byName = new TenantFilter(null, null, null, null, null, null, "alpha_%");
    assertThat(Await.result(search.page(byName, null, 10))).extracting(f -> f.tenant().id()).containsExactly(a.id());
    assertThat(TenantSearch.likePrefix("a\\b%c_")).isEqualTo("a\\\\b\\%c\\_%");

    TenantSearch.Counts counts = Await.result(search.counts(new TenantFilter(null, null, null, null, null, null, prefix)));
    assertThat(counts.total()).isEqualTo(2);
    assertThat(counts.byState().getLong("active")).isEqualTo(1);
    assertThat(counts.byState().getLong("provisioning")).isEqualTo(1);
    assertThat(counts.byState().getLong("deleted")).isZero();
    assertThat(counts.byTier().getLong("shared")).isEqualTo(1);
    assertThat(counts.byTier().getLong("database")).isZero();
    assertThat(counts.byPlan().getLong("default")).isEqualTo(2);
    assertThat(counts.toJson().getLong("total")).isEqualTo(2);
    assertThat(Await.result(search.counts(TenantFilter.NONE)).total()).isGreaterThanOrEqualTo(2);

    assertThat(Await.result(search.bySlugs(List.of(a.slug(), "no-such-tenant", b.slug()))))
      .extracting(Tenant::id).containsExactlyInAnyOrder(a.id(), b.id());
  }

  @Test
  void aTenantTravelsWithItsRequestAndParsesItsTier() {
    Tenant t = new Tenant(UUID.randomUUID(), "ctx", "Ctx", Tenant.Status.ARCHIVED, Isolation.SHARED, null, 0,
      "V3 failed", Instant.now(), null);
    assertThat(t.toJson().getString("migration_error")).isEqualTo("V3 failed");
    assertThat(t.toJson().containsKey("database")).isFalse();
    assertThat(t.schema()).isEqualTo("shared");
    assertThat(t.active()).isFalse();
    assertThat(Isolation.parse("database")).isEqualTo(Isolation.DATABASE);
    assertThat(Isolation.parse("nope")).isNull();
    assertThat(HostTenants.NONE.tenantOf("example.com")).isNull();
    assertThat(TenantRef.ofSlug(TenantRef.Source.PATH, "x").byId()).isFalse();
    assertThat(new TenantGone(t.id()).getMessage()).contains(t.id().toString());
  }
}
