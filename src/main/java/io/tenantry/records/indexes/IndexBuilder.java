package io.tenantry.records.indexes;

import io.tenantry.config.Config;
import io.tenantry.db.AdminJdbc;
import io.tenantry.records.query.FieldFunctions;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds and drops declared indexes off the request path: CREATE/DROP INDEX CONCURRENTLY (which writes do not wait
 * for) over an admin JDBC connection as the owner role, on a worker executor of its own (a build can take minutes and
 * must not hold the shared worker pool). One node works on an index at a time (a session advisory lock in the
 * index's database); a build a crash interrupted is resumed at start, and the invalid index it left is dropped first;
 * a ready declaration without its typed indexes (declared before platform V60) gets them at start, once the tenant's
 * records have the field functions.
 * A build ends with ANALYZE of the records table: statistics of the new index's expression, without which the
 * planner guesses a range's selectivity and may pass the index by. The outcome is the declaration's status (ready,
 * or failed with PostgreSQL's message).
 */
public final class IndexBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(IndexBuilder.class);
  /** Builds and drops a stopped node left, and ready declarations still without their typed indexes (platform V60). */
  private static final String UNFINISHED = "SELECT tenant_id, collection, name, status FROM platform.record_indexes "
    + "WHERE status IN ('building', 'dropping') OR status = 'ready' AND NOT typed";

  private final Config config;
  private final IndexDdlRunner runner;
  private final IndexStore store;
  private final TenantStore tenants;
  private final WorkerExecutor worker;

  IndexBuilder(Vertx vertx, Config config, IndexStore store, TenantStore tenants) {
    this.config = config;
    this.runner = new IndexDdlRunner(config);
    this.store = store;
    this.tenants = tenants;
    this.worker = vertx.createSharedWorkerExecutor("tenantry-index-builds", 2, 24, java.util.concurrent.TimeUnit.HOURS);
  }

  /** Starts the build; its outcome lands in the declaration's status. */
  void build(Tenant tenant, IndexDeclaration declared) {
    FieldFunctions functions = FieldFunctions.of(tenant);
    List<String> statements = new ArrayList<>(IndexDdl.create(tenant.schema(), declared, functions));
    statements.add(IndexDdl.analyze(tenant.schema()));
    worker.executeBlocking(() -> {
      ddl(tenant, declared.indexName(), statements);
      return null;
    }, false).compose(
        done -> store.ready(tenant.id(), declared.collection(), declared.name(), functions != null),
        failed -> {
          if (failed instanceof IndexDdlRunner.Busy) {
            return Future.succeededFuture(java.util.Optional.<IndexDeclaration>empty()); // the other node reports
          }
          LOG.warn("index {} of tenant {} collection {} failed to build: {}", declared.name(), tenant.id(),
            declared.collection(), failed.getMessage());
          return store.status(tenant.id(), declared.collection(), declared.name(), "failed", failed.getMessage());
        })
      .onFailure(e -> LOG.warn("index {} status not stored: {}", declared.name(), e.getMessage()));
  }

  /** Drops the index, then its declaration. */
  Future<Void> drop(Tenant tenant, IndexDeclaration declared) {
    return worker.executeBlocking(() -> {
      List<String> statements = new ArrayList<>();
      for (String name : IndexDdl.indexNames(declared.indexName())) {
        statements.add(IndexDdl.drop(tenant.schema(), name));
        statements.add(IndexDdl.dropStatistics(tenant.schema(), name));
      }
      ddl(tenant, declared.indexName(), statements);
      return null;
    }, false).compose(v -> store.deleteDropped(tenant.id(), declared.collection(), declared.name()));
  }

  /** At start: builds and drops that a stopped node left unfinished. */
  public void resumeUnfinished() {
    worker.executeBlocking(this::unfinished, false).onSuccess(all -> all.forEach(this::resume))
      .onFailure(e -> LOG.warn("unfinished index builds not resumed: {}", e.getMessage()));
  }

  private record Unfinished(UUID tenant, String collection, String name, String status) {
  }

  private List<Unfinished> unfinished() throws SQLException {
    List<Unfinished> all = new ArrayList<>();
    try (Connection c = AdminJdbc.connect(config.dbAdminUrl().withDatabase(config.dbName()));
         PreparedStatement ps = c.prepareStatement(UNFINISHED); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        all.add(new Unfinished(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return all;
  }

  private void resume(Unfinished u) {
    tenants.byId(u.tenant()).compose(tenant -> store.get(u.tenant(), u.collection(), u.name()).map(declared -> {
      if (tenant.isEmpty() || declared.isEmpty()) {
        return null;
      }
      if ("dropping".equals(u.status())) {
        drop(tenant.get(), declared.get());
      } else if ("ready".equals(u.status()) && FieldFunctions.of(tenant.get()) == null) {
        return null; // typed indexes wait for the tenant's migration to V6 (and the next start)
      } else {
        build(tenant.get(), declared.get());
      }
      return null;
    })).onFailure(e -> LOG.warn("index {} not resumed: {}", u.name(), e.getMessage()));
  }

  private void ddl(Tenant tenant, String indexName, List<String> statements) throws SQLException {
    runner.run(runner.database(tenant.database()), tenant.schema(), indexName, statements);
  }

  public Future<Void> close() {
    return worker.close();
  }
}
