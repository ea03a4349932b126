package io.tenantry.records.batch;

import io.tenantry.http.Problem;
import io.tenantry.records.Record;
import io.vertx.core.json.JsonObject;

/** What became of one operation: written (with the record, none for a delete) or refused with a problem. */
record ItemResult(BatchOp op, int status, Record record, Problem problem) {
  static ItemResult written(BatchOp op, int status, Record record) {
    return new ItemResult(op, status, record, null);
  }

  static ItemResult refused(BatchOp op, Problem problem) {
    return new ItemResult(op, problem.status(), null, problem);
  }

  boolean failed() {
    return problem != null;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("index", op.index()).put("op", op.kind().wire).put("id", op.id().toString())
      .put("status", status);
    if (record != null) {
      json.put("etag", record.etag()).put("record", record.toJson());
    }
    if (problem != null) {
      json.put("error", new JsonObject().put("type", problem.typeUri()).put("title", problem.title())
        .put("status", problem.status()).put("detail", problem.detail()).mergeIn(problem.members()));
    }
    return json;
  }
}
