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
    return limits(tenant.id()).compose(limits -> platform.withTransaction(tx -> tx.preparedQuery(LOCK)
      .execute(Tuple.of(tenant.id()))
      .compose(locked -> tx.preparedQuery(RESERVED).execute(Tuple.of(tenant.id())))
      .compose(reserved -> taken(tenant, reserved)).map(taken -> {
        if (limits.files() != null && taken.files() + newFiles > limits.files()) {
          throw tooLarge("the tenant's file quota (" + limits.files() + " files) is used up");
        }
        long left = limits.bytes() == null ? Long.MAX_VALUE : limits.bytes() - taken.bytes();
        long wanted = length >= 0 ? length : Math.min(chunkedReservation, Math.max(left, 0));
        if (wanted > left || left <= 0 && length != 0) {
          throw tooLarge("the upload does not fit in the tenant's storage quota (" + limits.bytes() + " bytes, "
            + Math.max(left, 0) + " left)");
        }
        return new Reservation(io.tenantry.http.Uuids.v7(), wanted);
      })
      .compose(reservation -> tx.preparedQuery(INSERT)
        .execute(Tuple.of(reservation.id(), tenant.id(), blob, reservation.maxBytes(), newFiles, (double) pendingTtlSeconds))
        .map(reservation))));
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

  Future<Void> release(UUID reservation) {
    return platform.preparedQuery(RELEASE).execute(Tuple.of(reservation)).mapEmpty();
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

  static Problem tooLarge(String detail) {
    return Problem.of(413, "storage-quota-exceeded", "Storage quota exceeded", detail);
  }
}
