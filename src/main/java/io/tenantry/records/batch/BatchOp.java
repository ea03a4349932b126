package io.tenantry.records.batch;

import io.tenantry.records.IfMatch;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * One operation of a batch as the client sent it, checked for shape: its position in the batch ({@code index}),
 * what to do, the record's id (a create without one gets a new UUIDv7), the document (create and replace: the new
 * data; patch: a JSON Merge Patch; delete: none) and its precondition.
 */
public record BatchOp(int index, Kind kind, UUID id, JsonObject data, IfMatch ifMatch) {
  public enum Kind {
    CREATE("create"), REPLACE("replace"), PATCH("patch"), DELETE("delete");

    final String wire;

    Kind(String wire) {
      this.wire = wire;
    }
  }

  /** Whether the operation acts on a stored record (locked and checked before the writes). */
  public boolean existing() {
    return kind != Kind.CREATE;
  }
}
