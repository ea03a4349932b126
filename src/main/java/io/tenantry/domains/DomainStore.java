package io.tenantry.domains;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The SQL of platform.custom_domains. */
final class DomainStore {
  private static final String ALL = "SELECT host, tenant_id FROM platform.custom_domains";
  private static final String OF_TENANT =
    "SELECT host, created_at FROM platform.custom_domains WHERE tenant_id = $1 ORDER BY host";
  private static final String INSERT = "INSERT INTO platform.custom_domains (host, tenant_id) VALUES ($1, $2) "
    + "ON CONFLICT (host) DO NOTHING RETURNING host";
  private static final String OWNER = "SELECT tenant_id FROM platform.custom_domains WHERE host = $1";
  private static final String DELETE = "DELETE FROM platform.custom_domains WHERE host = $1 AND tenant_id = $2";

  /** What a PUT did: created the mapping, found it already there, or found the host taken by another tenant. */
  enum Claim { CREATED, ALREADY_OURS, TAKEN }

  private final Pool pool;

  DomainStore(Pool pool) {
    this.pool = pool;
  }

  Future<Map<String, UUID>> all() {
    return pool.preparedQuery(ALL).execute().map(rows -> {
      Map<String, UUID> map = new HashMap<>();
      for (Row row : rows) {
        map.put(row.getString("host"), row.getUUID("tenant_id"));
      }
      return map;
    });
  }

  Future<List<Row>> ofTenant(UUID tenant) {
    return pool.preparedQuery(OF_TENANT).execute(Tuple.of(tenant)).map(rows -> {
      List<Row> list = new ArrayList<>();
      rows.forEach(list::add);
      return list;
    });
  }

  Future<Claim> claim(String host, UUID tenant) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(host, tenant)).compose(rows -> rows.rowCount() == 1
      ? Future.succeededFuture(Claim.CREATED)
      : pool.preparedQuery(OWNER).execute(Tuple.of(host)).map(owner -> owner.size() == 1
        && tenant.equals(owner.iterator().next().getUUID("tenant_id")) ? Claim.ALREADY_OURS : Claim.TAKEN));
  }

  Future<Boolean> release(String host, UUID tenant) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(host, tenant)).map(rows -> rows.rowCount() == 1);
  }
}
