package io.tenantry.storage;

import io.tenantry.data.TenantDb;
import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Storage quotas by reservation. A tenant's limits are its plan's storage_bytes/storage_files, each replaced by its
 * override's when set (NULL: no limit). An upload first reserves what it may store, in platform.storage_reservations,
 * under a per-tenant transaction-scoped advisory lock: committed usage (the tenant's metadata) plus every open
 * reservation plus the new one must fit, so concurrent uploads cannot overshoot together. The reservation goes once
 * the file's metadata is committed (for a moment the file counts twice: on the safe side).
 *
 * <p>A tenant's override may also declare a quota its whole subtree shares (storage_subtree_bytes/files). An upload
 * then also takes the subtree lock of every such tenant on its line, root first (one fixed order: no deadlock; a
 * tenant's own lock always comes after them), and the subtree's committed usage plus its open reservations plus the
 * new one must fit. The committed usage of the subtree is platform.storage_usage, one row per tenant, which
 * {@link #release} recounts from the tenant's own tier, under the tenant's lock and in the transaction that removes
 * the reservation: a file counts there or by its reservation, never by neither.
 */
final class Quotas {
  private static final String LIMITS = "SELECT coalesce(o.storage_bytes, p.storage_bytes) AS bytes,"
    + " coalesce(o.storage_files, p.storage_files) AS files FROM platform.tenants t JOIN platform.plans p ON p.name = t.plan"
    + " LEFT JOIN platform.tenant_limits o ON o.tenant_id = t.id WHERE t.id = $1";
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('tenantry-storage:' || $1::uuid::text, 0))";
  private static final String RESERVED = "SELECT blob, bytes, files FROM platform.storage_reservations WHERE tenant_id = $1";
  private static final String INSERT = "INSERT INTO platform.storage_reservations (id, tenant_id, blob, bytes, files, expires_at)"
    + " VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))";
  private static final String RELEASE = "DELETE FROM platform.storage_reservations WHERE id = $1";
  // the tenants of the line (root first, the tenant itself last) whose subtree shares a quota
  private static final String SHARED = "SELECT a.id, l.storage_subtree_bytes AS bytes, l.storage_subtree_files AS files"
    + " FROM platform.tenants t JOIN platform.tenants a ON a.id = ANY(t.path || t.id)"
    + " JOIN platform.tenant_limits l ON l.tenant_id = a.id"
    + " WHERE t.id = $1 AND (l.storage_subtree_bytes IS NOT NULL OR l.storage_subtree_files IS NOT NULL)"
    + " ORDER BY cardinality(a.path), a.id";
  private static final String SUBTREE_LOCK =
    "SELECT pg_advisory_xact_lock(hashtextextended('tenantry-storage-subtree:' || $1::uuid::text, 0))";
  // one snapshot: the subtree's committed usage and its open reservations
  private static final String SUBTREE_TAKEN = "WITH sub AS (SELECT id FROM platform.tenants WHERE id = $1 OR path @> ARRAY[$1::uuid])"
    + " SELECT (SELECT coalesce(sum(bytes), 0) FROM platform.storage_usage WHERE tenant_id IN (SELECT id FROM sub))::bigint AS bytes,"
    + " (SELECT coalesce(sum(files), 0) FROM platform.storage_usage WHERE tenant_id IN (SELECT id FROM sub))::bigint AS files,"
    + " (SELECT coalesce(sum(bytes), 0) FROM platform.storage_reservations WHERE tenant_id IN (SELECT id FROM sub))::bigint AS reserved_bytes,"
    + " (SELECT coalesce(sum(files), 0) FROM platform.storage_reservations WHERE tenant_id IN (SELECT id FROM sub))::bigint AS reserved_files";
  private static final String UNCOUNTED = "SELECT t.id FROM platform.tenants t WHERE t.status IN ('active', 'suspended')"
    + " AND NOT EXISTS (SELECT 1 FROM platform.storage_usage u WHERE u.tenant_id = t.id) ORDER BY random() LIMIT 50";
  private static final String RECOUNTED = "INSERT INTO platform.storage_usage (tenant_id, bytes, files)"
    + " SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM platform.tenants WHERE id = $1)"
    + " ON CONFLICT (tenant_id) DO UPDATE SET bytes = $2, files = $3, updated_at = now()";

  private final Pool platform;
  private final TenantDb db;
  private final FileStore files;
  private final long chunkedReservation;
  private final int pendingTtlSeconds;

  Quotas(Pool platform, TenantDb db, FileStore files, long chunkedReservation, int pendingTtlSeconds) {
    this.platform = platform;
    this.db = db;
    this.files = files;
    this.chunkedReservation = chunkedReservation;
    this.pendingTtlSeconds = pendingTtlSeconds;
  }

  /** A tenant's storage limits; null values are no limit. */
  record Limits(Long bytes, Long files) {
  }

  /** An open reservation: its row, and the most bytes the upload may bring. */
  record Reservation(UUID id, long maxBytes) {
  }

  Future<Limits> limits(UUID tenant) {
    return platform.preparedQuery(LIMITS).execute(Tuple.of(tenant)).map(rows -> {
      if (rows.size() == 0) {
        return new Limits(0L, 0L);
      }
      Row row = rows.iterator().next();
      return new Limits(row.getLong("bytes"), row.getLong("files"));
    });
  }

  /**
   * Reserves {@code length} bytes (or, unknown: up to storage.chunked-reservation-bytes of what is left) and
   * {@code newFiles} files for blob {@code blob}; a 413 problem when they do not fit.
   */
  Future<Reservation> reserve(Tenant tenant, String blob, long length, int newFiles) {
    return Future.all(limits(tenant.id()), shared(tenant.id())).compose(found -> {
      Limits limits = found.resultAt(0);
      java.util.List<Shared> shared = found.resultAt(1);
      return platform.withTransaction(tx -> subtreeRoom(tx, shared, newFiles)
        .compose(subtree -> tx.preparedQuery(LOCK).execute(Tuple.of(tenant.id()))
          .compose(locked -> tx.preparedQuery(RESERVED).execute(Tuple.of(tenant.id())))
          .compose(reserved -> taken(tenant, reserved)).map(taken -> {
            if (limits.files() != null && taken.files() + newFiles > limits.files()) {
              throw tooLarge("the tenant's file quota (" + limits.files() + " files) is used up");
            }
            Room room = new Room(limits.bytes() == null ? Long.MAX_VALUE : limits.bytes() - taken.bytes(),
              "the tenant's storage quota (" + limits.bytes() + " bytes, ");
            if (subtree != null && subtree.left() < room.left()) {
              room = subtree;
            }
            long left = room.left();
            long wanted = length >= 0 ? length : Math.min(chunkedReservation, Math.max(left, 0));
            if (wanted > left || left <= 0 && length != 0) {
              throw tooLarge("the upload does not fit in " + room.quota() + Math.max(left, 0) + " left)");
            }
            return new Reservation(io.tenantry.http.Uuids.v7(), wanted);
          }))
        .compose(reservation -> tx.preparedQuery(INSERT)
          .execute(Tuple.of(reservation.id(), tenant.id(), blob, reservation.maxBytes(), newFiles, (double) pendingTtlSeconds))
          .map(reservation)));
    });
  }

  /** A tenant of the line whose subtree shares a quota; null values are no limit. */
  private record Shared(UUID id, Long bytes, Long files) {
  }

  /** Bytes left under a quota, and the quota named for a refusal ("... (N bytes, "). */
  private record Room(long left, String quota) {
  }

  private Future<java.util.List<Shared>> shared(UUID tenant) {
    return platform.preparedQuery(SHARED).execute(Tuple.of(tenant)).map(rows -> {
      java.util.List<Shared> shared = new java.util.ArrayList<>();
      rows.forEach(r -> shared.add(new Shared(r.getUUID("id"), r.getLong("bytes"), r.getLong("files"))));
      return shared;
    });
  }

  /**
   * Takes every shared subtree's lock, root first, then checks each: the tightest room in bytes (null when no
   * subtree shares a byte quota); a 413 problem when a file quota is used up.
   */
  private Future<Room> subtreeRoom(io.vertx.sqlclient.SqlConnection tx, java.util.List<Shared> shared, int newFiles) {
    Future<Void> locked = Future.succeededFuture();
    for (Shared s : shared) {
      locked = locked.compose(v -> tx.preparedQuery(SUBTREE_LOCK).execute(Tuple.of(s.id())).mapEmpty());
    }
    Future<Room> tightest = locked.map((Room) null);
    for (Shared s : shared) {
      tightest = tightest.compose(room -> subtreeTaken(tx, s.id()).map(taken -> {
        if (s.files() != null && taken.files() + newFiles > s.files()) {
          throw tooLarge("the file quota shared by the tenant's subtree (" + s.files() + " files) is used up");
        }
        if (s.bytes() == null) {
          return room;
        }
        long left = s.bytes() - taken.bytes();
        return room != null && room.left() <= left ? room
          : new Room(left, "the storage quota shared by the tenant's subtree (" + s.bytes() + " bytes, ");
      }));
    }
    return tightest;
  }

  /** A subtree's committed usage plus its open reservations, the latter also apart. */
  private Future<Taken> subtreeTaken(io.vertx.sqlclient.SqlClient client, UUID root) {
    return client.preparedQuery(SUBTREE_TAKEN).execute(Tuple.of(root)).map(rows -> {
      Row r = rows.iterator().next();
      long reservedBytes = r.getLong("reserved_bytes");
      long reservedFiles = r.getLong("reserved_files");
      return new Taken(r.getLong("bytes") + reservedBytes, r.getLong("files") + reservedFiles, reservedBytes, reservedFiles);
    });
  }

  /** Committed usage plus open reservations whose blob is not committed yet. */
  private record Taken(long bytes, long files, long reservedBytes, long reservedFiles) {
  }

  private Future<Taken> taken(Tenant tenant, io.vertx.sqlclient.RowSet<Row> reserved) {
    java.util.List<String> blobs = new java.util.ArrayList<>();
    reserved.forEach(r -> blobs.add(r.getString("blob")));
    return db.autocommit(tenant, conn -> files.usage(conn, tenant, blobs)).map(used -> {
      long bytes = 0;
      long count = 0;
      for (Row r : reserved) {
        if (!used.committed().contains(r.getString("blob"))) {
          bytes += r.getLong("bytes");
          count += r.getInteger("files");
        }
      }
      return new Taken(used.bytes() + bytes, used.files() + count, bytes, count);
    });
  }

  /** A blob about to be removed: a row the sweeper takes at once if the removal does not finish. */
  Future<UUID> doomed(UUID tenant, String blob) {
    UUID id = io.tenantry.http.Uuids.v7();
    return platform.preparedQuery(INSERT).execute(Tuple.of(id, tenant, blob, 0L, 0, 0.0)).map(id);
  }

  /**
   * Removes the reservation and, in the same transaction under the tenant's lock, records the tenant's committed
   * usage counted afresh from its tier (the lock orders the recounts: a later one never records an older count).
   */
  Future<Void> release(Tenant tenant, UUID reservation) {
    return recounted(tenant, reservation);
  }

  /** Records the tenant's committed usage, counted afresh from its tier (a tenant that had no row yet). */
  Future<Void> recount(Tenant tenant) {
    return recounted(tenant, null);
  }

  private Future<Void> recounted(Tenant tenant, UUID reservation) {
    return platform.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(tenant.id()))
      .compose(locked -> reservation == null ? Future.succeededFuture()
        : tx.preparedQuery(RELEASE).execute(Tuple.of(reservation)).mapEmpty())
      .compose(released -> db.autocommit(tenant, conn -> files.usage(conn, tenant, java.util.List.of())))
      .compose(used -> tx.preparedQuery(RECOUNTED).execute(Tuple.of(tenant.id(), used.bytes(), used.files())))
      .mapEmpty());
  }

  /**
   * Some live tenants that have no usage row yet (they had files before the row existed, or came in by an import),
   * in random order so that one whose tier cannot be read does not hold the others back.
   */
  Future<java.util.List<UUID>> uncounted() {
    return platform.query(UNCOUNTED).execute().map(rows -> {
      java.util.List<UUID> ids = new java.util.ArrayList<>();
      rows.forEach(r -> ids.add(r.getUUID("id")));
      return ids;
    });
  }

  /** What GET /api/v1/files:usage and the admin limits show. */
  Future<JsonObject> usage(Tenant tenant) {
    Future<Limits> limits = limits(tenant.id());
    Future<Taken> taken = platform.preparedQuery(RESERVED).execute(Tuple.of(tenant.id())).compose(rows -> taken(tenant, rows));
    return Future.all(limits, taken).map(all -> new JsonObject()
      .put("bytes", taken.result().bytes() - taken.result().reservedBytes())
      .put("files", taken.result().files() - taken.result().reservedFiles())
      .put("reserved_bytes", taken.result().reservedBytes())
      .put("reserved_files", taken.result().reservedFiles())
      .put("limits", new JsonObject().put("storage_bytes", limits.result().bytes()).put("storage_files", limits.result().files())));
  }

  /**
   * What GET /admin/v1/tenants/{slug}/storage shows: the tenant's usage and quotas and, when its subtree shares a
   * quota, that quota and the subtree's usage (committed as recorded in platform.storage_usage, and reserved).
   */
  Future<JsonObject> adminView(Tenant tenant) {
    Future<JsonObject> own = usage(tenant);
    Future<JsonObject> subtree = shared(tenant.id()).compose(line -> {
      Shared self = line.stream().filter(s -> s.id().equals(tenant.id())).findFirst().orElse(null);
      if (self == null) {
        return Future.succeededFuture(null);
      }
      return subtreeTaken(platform, tenant.id()).map(taken -> new JsonObject()
        .put("storage_subtree_bytes", self.bytes())
        .put("storage_subtree_files", self.files())
        .put("bytes", taken.bytes() - taken.reservedBytes())
        .put("files", taken.files() - taken.reservedFiles())
        .put("reserved_bytes", taken.reservedBytes())
        .put("reserved_files", taken.reservedFiles()));
    });
    return Future.all(own, subtree).map(all -> own.result().put("tenant", tenant.slug()).put("subtree", subtree.result()));
  }

  static Problem tooLarge(String detail) {
    return Problem.of(413, "storage-quota-exceeded", "Storage quota exceeded", detail);
  }
}
