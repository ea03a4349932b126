package io.tenantry.relocation;

import java.util.List;

/**
 * A table of a tenant's tier that a move copies (the same columns in shared, schema and database tiers), with the
 * key that identifies a row as text, what tells two versions of a row apart (a record's version — every write bumps
 * it —, an audit entry's nothing — entries are immutable —, a seal's or anchor's hash, a file's blob — every write of
 * a file stores a new blob), and {@code match}: the predicate selecting the rows of a text array of keys (its one
 * {@code ?}), written so that the table's primary key index serves it (a delta's rows are found by key, never by
 * scanning the tenant).
 */
record TenantTable(String name, String columns, String key, String fingerprint, String match) {
  static final TenantTable RECORDS = new TenantTable("records",
    "tenant_id, collection, id, version, data, created_at, updated_at", "collection || ':' || id::text", "version::text",
    "(collection, id) IN (SELECT split_part(k, ':', 1), split_part(k, ':', 2)::uuid FROM unnest(?::text[]) AS k)");
  static final TenantTable AUDIT_LOG = new TenantTable("audit_log",
    "tenant_id, id, at, actor_user, actor_key, impersonator, action, target, outcome, status, request_id, "
      + "client_address, detail", "id::text", "''", "id IN (SELECT k::uuid FROM unnest(?::text[]) AS k)");
  static final TenantTable AUDIT_SEAL = new TenantTable("audit_seal", "tenant_id, position, entry_id, hash, sealed_at",
    "position::text", "encode(hash, 'hex')", "position IN (SELECT k::bigint FROM unnest(?::text[]) AS k)");
  static final TenantTable AUDIT_ANCHOR = new TenantTable("audit_anchor", "tenant_id, position, hash, pruned_at",
    "position::text", "encode(hash, 'hex')", "position IN (SELECT k::bigint FROM unnest(?::text[]) AS k)");
  /** File metadata; the blobs themselves stay where they are (keyed by tenant id, not by tier). */
  static final TenantTable FILES = new TenantTable("files",
    "tenant_id, path, blob, size, content_type, sha256, uploader, created_at, updated_at", "path", "blob",
    "path IN (SELECT k FROM unnest(?::text[]) AS k)");

  static final List<TenantTable> ALL = List.of(RECORDS, AUDIT_LOG, AUDIT_SEAL, AUDIT_ANCHOR, FILES);

  static final List<TenantTable> REMOVAL_ORDER = List.of(FILES, AUDIT_ANCHOR, AUDIT_SEAL, AUDIT_LOG, RECORDS);
}
