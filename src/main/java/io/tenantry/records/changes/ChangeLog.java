package io.tenantry.records.changes;

import io.tenantry.tenant.SchemaMemo;
import io.tenantry.data.TenantDb;
import io.tenantry.records.Record;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a collection's changes from the tenant's audit log, in its own tier, through TenantDb (the tenant's pool,
 * its cap, its context): one statement for the page of entries, one for the records they name.
 */
public final class ChangeLog {
  /** A page and where the next one starts. */
  public record Page(List<Change> changes, ChangeToken next) {
  }

  private final TenantDb db;
  private final SchemaMemo<ChangeSql> bySchema = new SchemaMemo<>(ChangeSql::forSchema);

  public ChangeLog(TenantDb db) {
    this.db = db;
  }

  private ChangeSql sql(Tenant tenant) {
    return bySchema.of(tenant.schema());
  }

  /**
   * Up to {@code limit} changes after {@code since}. When fewer came, every change below the snapshot's horizon
   * has been handed out, and the next page starts there (so a feed that waits does not rescan what it passed).
   */
  public Future<Page> after(Tenant tenant, String collection, ChangeToken since, int limit) {
    ChangeSql sql = sql(tenant);
    return db.autocommit(tenant, conn -> conn.preparedQuery(sql.page())
        .execute(Tuple.of(tenant.id(), collection, Long.toString(since.xid()), since.entry(), limit)))
      .compose(rows -> {
        long horizon = 0;
        List<Row> entries = new ArrayList<>();
        for (Row row : rows) {
          horizon = Long.parseLong(row.getString("horizon"));
          if (row.getString("xid") != null) {
            entries.add(row);
          }
        }
        ChangeToken next = entries.size() < limit && horizon - 1 >= since.xid() ? ChangeToken.below(horizon) : since;
        if (entries.isEmpty()) {
          return Future.succeededFuture(new Page(List.of(), next));
        }
        ChangeToken last = token(entries.get(entries.size() - 1));
        ChangeToken after = entries.size() < limit ? next : last;
        return current(tenant, collection, entries).map(records -> new Page(changes(entries, records), after));
      });
  }

  private Future<Map<UUID, Record>> current(Tenant tenant, String collection, List<Row> entries) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (Row row : entries) {
      if (!"record.delete".equals(row.getString("action"))) {
        ids.add(UUID.fromString(row.getString("record")));
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return db.autocommit(tenant, conn -> conn.preparedQuery(sql(tenant).records())
        .execute(Tuple.of(tenant.id(), collection, ids.toArray(new UUID[0]))))
      .map(rows -> {
        Map<UUID, Record> found = new HashMap<>();
        for (Row row : rows) {
          found.put(row.getUUID("id"), Record.from(row, collection));
        }
        return found;
      });
  }

  private static List<Change> changes(List<Row> entries, Map<UUID, Record> records) {
    List<Change> changes = new ArrayList<>(entries.size());
    for (Row row : entries) {
      UUID id = UUID.fromString(row.getString("record"));
      String op = row.getString("action").substring("record.".length());
      changes.add(new Change(token(row), op, id, row.getOffsetDateTime("at"), records.get(id)));
    }
    return changes;
  }

  private static ChangeToken token(Row row) {
    return new ChangeToken(Long.parseLong(row.getString("xid")), row.getUUID("id"));
  }
}
