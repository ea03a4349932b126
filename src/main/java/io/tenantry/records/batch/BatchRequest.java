package io.tenantry.records.batch;

import io.tenantry.http.Problem;
import io.tenantry.http.Uuids;
import io.tenantry.records.IfMatch;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The body of {@code POST .../records:batch}: {@code {"operations": [...], "atomic": true}}. Parsed strictly: any
 * other member, a missing or misplaced field, an id named twice is a 400 naming the operation ({@code
 * operations[3].record ...}). An id may appear once per batch: the writes are set-based statements, one per kind,
 * which cannot order two changes of one record.
 */
public record BatchRequest(List<BatchOp> operations, boolean atomic) {
  public static final int MAX_OPERATIONS = 1000;
  private static final Set<String> TOP = Set.of("operations", "atomic");
  private static final Set<String> OP = Set.of("op", "id", "record", "if_match");

  public static BatchRequest parse(JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!TOP.contains(key)) {
        throw Problem.badRequest("unknown member '" + key + "': a batch has operations and atomic");
      }
    }
    Object atomic = body.getValue("atomic", Boolean.TRUE);
    if (!(atomic instanceof Boolean)) {
      throw Problem.badRequest("atomic must be true or false");
    }
    if (!(body.getValue("operations") instanceof JsonArray ops) || ops.isEmpty() || ops.size() > MAX_OPERATIONS) {
      throw Problem.badRequest("operations must be an array of 1 to " + MAX_OPERATIONS + " operations");
    }
    List<BatchOp> parsed = new ArrayList<>(ops.size());
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < ops.size(); i++) {
      BatchOp op = operation(i, ops.getValue(i));
      if (!ids.add(op.id())) {
        throw Problem.badRequest(at(i) + " names record " + op.id() + " again: each record may appear once per batch");
      }
      parsed.add(op);
    }
    return new BatchRequest(List.copyOf(parsed), (Boolean) atomic);
  }

  private static BatchOp operation(int i, Object value) {
    if (!(value instanceof JsonObject op)) {
      throw Problem.badRequest(at(i) + " must be an object with op, id, record and if_match");
    }
    for (String key : op.fieldNames()) {
      if (!OP.contains(key)) {
        throw Problem.badRequest(at(i) + " has an unknown member '" + key + "': allowed are op, id, record, if_match");
      }
    }
    BatchOp.Kind kind = kind(i, op.getValue("op"));
    UUID id = id(i, kind, op.getValue("id"));
    Object record = op.getValue("record");
    if (kind == BatchOp.Kind.DELETE ? record != null : !(record instanceof JsonObject)) {
      throw Problem.badRequest(at(i) + (kind == BatchOp.Kind.DELETE ? " is a delete: it takes no record"
        : ".record must be a JSON object (" + kind.wire + " needs it)"));
    }
    Object ifMatch = op.getValue("if_match");
    if (ifMatch != null && (!(ifMatch instanceof String) || kind == BatchOp.Kind.CREATE)) {
      throw Problem.badRequest(at(i) + (kind == BatchOp.Kind.CREATE ? " is a create: if_match applies to replace, patch and delete"
        : ".if_match must be a string: an ETag (\"\\\"3\\\"\") or *"));
    }
    return new BatchOp(i, kind, id, (JsonObject) record, IfMatch.parse((String) ifMatch));
  }

  private static BatchOp.Kind kind(int i, Object op) {
    for (BatchOp.Kind kind : BatchOp.Kind.values()) {
      if (kind.wire.equals(op)) {
        return kind;
      }
    }
    throw Problem.badRequest(at(i) + ".op must be one of create, replace, patch, delete");
  }

  private static UUID id(int i, BatchOp.Kind kind, Object id) {
    if (id == null) {
      if (kind != BatchOp.Kind.CREATE) {
        throw Problem.badRequest(at(i) + ".id is required to " + kind.wire);
      }
      return Uuids.v7();
    }
    try {
      return UUID.fromString((String) id);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw Problem.badRequest(at(i) + ".id must be a record id (a UUID)");
    }
  }

  static String at(int index) {
    return "operations[" + index + "]";
  }
}
