package io.tenantry.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** platform.audit_log: actions that concern no tenant, read by super-admins. */
final class PlatformAuditLog {
  private static final String PAGE = "SELECT NULL::uuid AS tenant_id, id, at, actor_user, actor_key, impersonator, "
    + "action, target, outcome, status, request_id, client_address, detail::text AS detail_text FROM platform.audit_log "
    + "WHERE ($1::uuid IS NULL OR actor_user = $1 OR actor_key = $1)"
    + " AND ($2::text IS NULL OR action LIKE $2)"
    + " AND ($3::timestamptz IS NULL OR at >= $3)"
    + " AND ($4::timestamptz IS NULL OR at < $4)"
    + " AND ($5::text IS NULL OR outcome = $5)"
    + " AND ($6::uuid IS NULL OR id < $6)"
    + " ORDER BY id DESC LIMIT $7";

  private final Pool pool;

  PlatformAuditLog(Pool pool) {
    this.pool = pool;
  }

  Future<List<AuditRow>> page(AuditLog.Filter f, UUID before, int limit) {
    return pool.preparedQuery(PAGE).execute(Tuple.tuple().addUUID(f.actor()).addString(f.actionLike())
        .addOffsetDateTime(f.from()).addOffsetDateTime(f.to()).addString(f.outcome()).addUUID(before).addInteger(limit))
      .map(rows -> {
        List<AuditRow> found = new ArrayList<>(rows.size());
        rows.forEach(row -> found.add(AuditRow.from(row)));
        return found;
      });
  }
}
