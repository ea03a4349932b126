package io.tenantry.records.batch;

import io.tenantry.audit.AuditActor;
import io.tenantry.data.TenantDb;
import io.tenantry.http.Problem;
import io.tenantry.records.MergePatch;
import io.tenantry.records.Record;
import io.tenantry.records.RecordCheck;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies a batch in one transaction of the tenant's tier: the new documents are checked against the collection's
 * schema first (before a connection is taken); then the records the batch changes are locked in one statement and
 * each operation's precondition (existence, If-Match) is checked and each patch merged and checked under the lock;
 * then the writes go as one statement per kind, pipelined. Atomic: the first refused item fails the whole batch and
 * the transaction rolls back. Not atomic: refused items are reported and the others are written, still in one
 * transaction.
 */
public final class BatchWriter {
  private final TenantDb db;
  private final RecordCheck check;
  private final BatchStore store = new BatchStore();

  public BatchWriter(TenantDb db, RecordCheck check) {
    this.db = db;
    this.check = check;
  }

  /** @return one result per operation, in the batch's order; atomic batches fail with a problem instead of refusing items */
  public Future<List<ItemResult>> apply(Tenant tenant, String collection, BatchRequest batch, AuditActor actor) {
    List<BatchOp> ops = batch.operations();
    ItemResult[] results = new ItemResult[ops.size()];
    JsonObject[] data = new JsonObject[ops.size()];
    List<Future<JsonObject>> checks = new ArrayList<>();
    for (BatchOp op : ops) {
      if (op.kind() == BatchOp.Kind.CREATE || op.kind() == BatchOp.Kind.REPLACE) {
        checks.add(checked(tenant, collection, op, op.data(), data, results));
      }
    }
    return Future.join(checks).transform(done -> firstUnexpected(checks))
      .compose(v -> refuseIfAtomic(batch, results))
      .compose(v -> db.withTenant(tenant, conn -> underLock(conn, tenant, collection, batch, data, results)
        .compose(locked -> refuseIfAtomic(batch, results))
        .compose(locked -> write(conn, tenant, collection, batch, data, results, actor))
        .compose(written -> refuseIfAtomic(batch, results))))
      .map(v -> Arrays.asList(results));
  }

  /** Checks a document; a refusal (a problem) is the item's result, any other failure fails the batch. */
  private Future<JsonObject> checked(Tenant tenant, String collection, BatchOp op, JsonObject document,
                                     JsonObject[] data, ItemResult[] results) {
    return check.check(tenant, collection, document).andThen(done -> {
      if (done.succeeded()) {
        data[op.index()] = done.result();
      } else if (done.cause() instanceof Problem problem) {
        results[op.index()] = ItemResult.refused(op, problem);
      }
    }).recover(e -> e instanceof Problem ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private static Future<Void> firstUnexpected(List<Future<JsonObject>> checks) {
    for (Future<JsonObject> c : checks) {
      if (c.failed()) {
        return Future.failedFuture(c.cause());
      }
    }
    return Future.succeededFuture();
  }

  private Future<Void> underLock(SqlConnection conn, Tenant tenant, String collection, BatchRequest batch,
                                 JsonObject[] data, ItemResult[] results) {
    List<UUID> ids = new ArrayList<>();
    batch.operations().stream().filter(op -> op.existing() && results[op.index()] == null).forEach(op -> ids.add(op.id()));
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.lock(conn, tenant, collection, ids).compose(current -> {
      List<Future<JsonObject>> patches = new ArrayList<>();
      for (BatchOp op : batch.operations()) {
        if (!op.existing() || results[op.index()] != null) {
          continue;
        }
        Record found = current.get(op.id());
        if (found == null) {
          results[op.index()] = ItemResult.refused(op, Problem.notFound("no such record"));
        } else if (!op.ifMatch().matches(found.version())) {
          results[op.index()] = ItemResult.refused(op,
            Problem.preconditionFailed("the record has changed: its version is now " + found.version()));
        } else if (op.kind() == BatchOp.Kind.PATCH) {
          patches.add(checked(tenant, collection, op, MergePatch.apply(found.data(), op.data()), data, results));
        }
      }
      return Future.join(patches).transform(done -> firstUnexpected(patches));
    });
  }

  private Future<Void> write(SqlConnection conn, Tenant tenant, String collection, BatchRequest batch,
                             JsonObject[] data, ItemResult[] results, AuditActor actor) {
    List<BatchStore.Write> creates = new ArrayList<>();
    List<BatchStore.Write> updates = new ArrayList<>();
    List<BatchStore.Write> deletes = new ArrayList<>();
    for (BatchOp op : batch.operations()) {
      if (results[op.index()] != null) {
        continue;
      }
      BatchStore.Write w = new BatchStore.Write(op.id(), data[op.index()]);
      switch (op.kind()) {
        case CREATE -> creates.add(w);
        case REPLACE, PATCH -> updates.add(w);
        case DELETE -> deletes.add(w);
      }
    }
    // written to the connection together: one round trip for the three statements
    Future<Map<UUID, Record>> created = store.create(conn, tenant, collection, creates, actor);
    Future<Map<UUID, Record>> updated = store.update(conn, tenant, collection, updates, actor);
    Future<Integer> deleted = store.delete(conn, tenant, collection, deletes, actor);
    return Future.all(created, updated, deleted).map(done -> {
      for (BatchOp op : batch.operations()) {
        if (results[op.index()] != null) {
          continue;
        }
        results[op.index()] = switch (op.kind()) {
          case CREATE -> created.result().containsKey(op.id())
            ? ItemResult.written(op, 201, created.result().get(op.id()))
            : ItemResult.refused(op, Problem.conflict("a record with id " + op.id() + " exists already"));
          case REPLACE, PATCH -> ItemResult.written(op, 200, updated.result().get(op.id()));
          case DELETE -> ItemResult.written(op, 204, null);
        };
      }
      return null;
    });
  }

  /**
   * An atomic batch with a refused item fails as a whole, with that item's status, a detail naming it, and every
   * refused item under {@code errors}; the transaction, if there is one yet, rolls back.
   */
  private static Future<Void> refuseIfAtomic(BatchRequest batch, ItemResult[] results) {
    if (!batch.atomic()) {
      return Future.succeededFuture();
    }
    JsonArray errors = new JsonArray();
    ItemResult first = null;
    for (ItemResult r : results) {
      if (r != null && r.failed()) {
        first = first == null ? r : first;
        errors.add(r.toJson());
      }
    }
    if (first == null) {
      return Future.succeededFuture();
    }
    Problem p = first.problem();
    return Future.failedFuture(Problem.of(p.status(), p.type(), p.title(), BatchRequest.at(first.op().index()) + ": "
        + p.detail() + " (atomic batch: nothing was written)")
      .withMembers(p.members().copy().put("errors", errors)));
  }
}
