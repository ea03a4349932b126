package io.tenantry.audit;

import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Walks a tenant's chain from its anchor (or the start) and recomputes every link from the entry as stored now. A
 * changed entry or seal breaks the link at its position, a deleted entry leaves a seal without its entry, a deleted
 * seal leaves a gap in the positions. Read in pages, one autocommit statement each.
 */
final class AuditVerifier {
  private final AuditLog log;

  AuditVerifier(AuditLog log) {
    this.log = log;
  }

  private record Walk(long position, byte[] hash, long entries, UUID lastId, String lastAt) {
  }

  Future<JsonObject> verify(Tenant tenant) {
    AuditSql sql = log.sql(tenant);
    return log.db().autocommit(tenant, client -> AuditSealer.anchor(client, tenant, sql))
      .compose(anchor -> {
        Walk start = anchor.map(a -> new Walk(a.position(), a.hash(), 0, null, null))
          .orElse(new Walk(0, AuditChain.GENESIS, 0, null, null));
        return walk(tenant, sql, start).map(result -> anchor.isPresent()
          ? result.put("anchor", new JsonObject().put("position", anchor.get().position())
              .put("hash", HexFormat.of().formatHex(anchor.get().hash())))
          : result);
      })
      .compose(result -> log.db().autocommit(tenant, client -> client.preparedQuery(sql.counts())
          .execute(Tuple.of(tenant.id())))
        .map(rows -> result.put("unsealed", rows.iterator().next().getLong("unsealed"))));
  }

  private Future<JsonObject> walk(Tenant tenant, AuditSql sql, Walk from) {
    return log.db().autocommit(tenant, client -> client.preparedQuery(sql.chain())
        .execute(Tuple.of(tenant.id(), from.position(), AuditSealer.BATCH)))
      .compose(rows -> {
        Walk at = from;
        for (Row row : rows) {
          long position = row.getLong("position");
          UUID entryId = row.getUUID("entry_id");
          byte[] stored = row.getBuffer("hash").getBytes();
          if (position != at.position() + 1) {
            return Future.succeededFuture(broken(at.position() + 1, null, "a seal is missing from the chain"));
          }
          if (row.getUUID("id") == null) {
            return Future.succeededFuture(broken(position, entryId, "the sealed entry is missing"));
          }
          AuditRow entry = AuditRow.from(row);
          byte[] expected = AuditChain.link(at.hash(), entry);
          if (!Arrays.equals(expected, stored)) {
            return Future.succeededFuture(broken(position, entryId,
              "the entry or its seal was changed after sealing"));
          }
          at = new Walk(position, stored, at.entries() + 1, entryId, entry.at().toInstant().toString());
        }
        if (rows.size() == AuditSealer.BATCH) {
          return walk(tenant, sql, at);
        }
        JsonObject through = at.lastId() == null ? null : new JsonObject().put("position", at.position())
          .put("entry_id", at.lastId().toString()).put("time", at.lastAt())
          .put("hash", HexFormat.of().formatHex(at.hash()));
        return Future.succeededFuture(new JsonObject().put("intact", true).put("entries", at.entries())
          .put("sealed_through", through));
      });
  }

  private static JsonObject broken(long position, UUID entryId, String reason) {
    return new JsonObject().put("intact", false).put("first_broken", new JsonObject()
      .put("position", position).put("entry_id", entryId == null ? null : entryId.toString()).put("reason", reason));
  }
}
