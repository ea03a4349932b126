package io.tenantry.relocation;

import java.util.List;

/**
 * A table of a tenant's tier that a move copies (the same columns in shared, schema and database tiers), with the
 * key that identifies a row as text and a fingerprint of the whole row: two copies agree when the same keys carry
 * the same fingerprints. Keys sort the same on every server ({@code COLLATE "C"} over ASCII text).
 */
record TenantTable(String name, String columns, String key) {
  static final List<TenantTable> ALL = List.of(
    new TenantTable("records", "tenant_id, collection, id, version, data, created_at, updated_at",
      "collection || ':' || id::text"),
    new TenantTable("audit_log", "tenant_id, id, at, actor_user, actor_key, impersonator, action, target, outcome, "
      + "status, request_id, client_address, detail", "id::text"),
    new TenantTable("audit_seal", "tenant_id, position, entry_id, hash, sealed_at", "lpad(position::text, 20, '0')"),
    new TenantTable("audit_anchor", "tenant_id, position, hash, pruned_at", "lpad(position::text, 20, '0')"));

  static final List<TenantTable> REMOVAL_ORDER = List.of(ALL.get(3), ALL.get(2), ALL.get(1), ALL.get(0));

  /** Every column's text, in one fixed order: sessions run in UTC, so timestamps print alike on both sides. */
  String fingerprint() {
    return "md5(ROW(" + columns + ")::text)";
  }
}
