package io.tenantry.relocation;

import java.util.List;

/**
 * A table of a tenant's tier that a move copies (the same columns in shared, schema and database tiers), with the
 * key that identifies a row as text and what tells two versions of a row apart: a record's version (every write
 * bumps it), an audit entry's nothing (entries are immutable), a seal's or anchor's hash.
 */
record TenantTable(String name, String columns, String key, String fingerprint) {
  static final List<TenantTable> ALL = List.of(
    new TenantTable("records", "tenant_id, collection, id, version, data, created_at, updated_at",
      "collection || ':' || id::text", "version::text"),
    new TenantTable("audit_log", "tenant_id, id, at, actor_user, actor_key, impersonator, action, target, outcome, "
      + "status, request_id, client_address, detail", "id::text", "''"),
    new TenantTable("audit_seal", "tenant_id, position, entry_id, hash, sealed_at", "position::text", "encode(hash, 'hex')"),
    new TenantTable("audit_anchor", "tenant_id, position, hash, pruned_at", "position::text", "encode(hash, 'hex')"));

  static final List<TenantTable> REMOVAL_ORDER = List.of(ALL.get(3), ALL.get(2), ALL.get(1), ALL.get(0));

}
