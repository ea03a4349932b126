package io.tenantry.audit;

import io.tenantry.tenant.SchemaMemo;
import io.tenantry.data.TenantDb;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A tenant's audit entries in its own tier, through TenantDb: append and read; never changed by the server. */
public final class AuditLog {
  /** What a query selects; a null field does not filter. {@code actionLike} is a LIKE pattern. */
  public record Filter(UUID actor, String actionLike, OffsetDateTime from, OffsetDateTime to, String outcome) {
  }

  private final TenantDb db;
  private final SchemaMemo<AuditSql> bySchema = new SchemaMemo<>(AuditSql::forSchema);

  public AuditLog(TenantDb db) {
    this.db = db;
  }

  public TenantDb db() {
    return db;
  }

  public AuditSql sql(Tenant tenant) {
    return bySchema.of(tenant.schema());
  }

  /** Entries stored on their own (not next to a write): one batch, one connection. */
  public Future<Void> append(Tenant tenant, List<AuditEntry> entries) {
    List<Tuple> rows = new ArrayList<>(entries.size());
    entries.forEach(entry -> rows.add(tuple(tenant.id(), entry)));
    String insert = sql(tenant).insert();
    return db.autocommit(tenant, client -> client.preparedQuery(insert).executeBatch(rows)).mapEmpty();
  }

  static Tuple tuple(UUID tenantId, AuditEntry e) {
    AuditActor a = e.actor();
    return Tuple.tuple().addUUID(tenantId).addUUID(e.id()).addUUID(a.user()).addUUID(a.key())
      .addUUID(a.impersonator()).addString(e.action()).addString(clip(e.target(), 500)).addString(e.outcome())
      .addInteger(e.status()).addString(clip(a.requestId(), 200)).addString(clip(a.clientAddress(), 100))
      .addValue(e.detail());
  }

  /** Newest first, {@code limit} entries older than the entry {@code before} (null: from the newest). */
  public Future<List<AuditRow>> page(Tenant tenant, Filter f, UUID before, int limit) {
    String page = sql(tenant).page();
    return db.autocommit(tenant, client -> client.preparedQuery(page).execute(Tuple.tuple().addUUID(tenant.id())
        .addUUID(f.actor()).addString(f.actionLike()).addOffsetDateTime(f.from()).addOffsetDateTime(f.to())
        .addString(f.outcome()).addUUID(before).addInteger(limit)))
      .map(rows -> {
        List<AuditRow> found = new ArrayList<>(rows.size());
        rows.forEach(row -> found.add(AuditRow.from(row)));
        return found;
      });
  }

  static String clip(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
