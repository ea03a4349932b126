package io.tenantry.export;

import java.util.UUID;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The SELECTs whose rows become a bundle's NDJSON lines, one JSON object each, for {@code COPY (...) TO STDOUT}.
 * COPY takes no parameters: the tenant id is inlined as a {@link UUID}'s own text and a collection name only after
 * it matched {@link BundleFormat#COLLECTION}, never other text. Rows go out in key order, so two exports of the
 * same data are byte-identical.
 */
final class ExportQueries {
  private ExportQueries() {
  }

  /**
   * Raw lines through COPY: CSV with a quote and a delimiter that JSON text never holds unescaped (PostgreSQL
   * escapes every control character in json output), so each value is written as it is, one per line.
   */
  static String copyOut(String select) {
    return "COPY (" + select + ") TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";
  }

  static String tenant(UUID id) {
    return "SELECT json_build_object('id', id, 'slug', slug, 'name', name, 'status', status, 'isolation', isolation, "
      + "'plan', plan, 'statement_timeout_ms', statement_timeout_ms, 'created_at', created_at)::text "
      + "FROM platform.tenants WHERE id = '" + id + "'";
  }

  static String tenantSettings(UUID id) {
    return "SELECT json_build_object('key', key, 'value', value, 'updated_at', updated_at)::text "
      + "FROM platform.tenant_settings WHERE tenant_id = '" + id + "' ORDER BY key";
  }

  static String userSettings(UUID id) {
    return "SELECT json_build_object('user_id', user_id, 'key', key, 'value', value, 'updated_at', updated_at)::text "
      + "FROM platform.user_settings WHERE tenant_id = '" + id + "' ORDER BY user_id, key";
  }

  static String schemas(UUID id) {
    return "SELECT json_build_object('collection', collection, 'schema', schema, 'version', version, "
      + "'created_at', created_at, 'updated_at', updated_at)::text "
      + "FROM platform.collection_schemas WHERE tenant_id = '" + id + "' ORDER BY collection";
  }

  /** Declarations only (the indexes are built again where the bundle is imported); one being dropped is gone. */
  static String indexes(UUID id) {
    return "SELECT json_build_object('collection', collection, 'name', name, 'field', field, 'created_at', created_at)::text "
      + "FROM platform.record_indexes WHERE tenant_id = '" + id + "' AND status <> 'dropping' ORDER BY collection, name";
  }

  /** The tenant's members; their password hashes only when asked for (they let whoever holds the bundle attack them). */
  static String users(UUID id, boolean passwordHashes) {
    return "SELECT json_build_object('id', u.id, 'email', u.email, 'created_at', u.created_at"
      + (passwordHashes ? ", 'password_hash', u.password_hash" : "") + ")::text "
      + "FROM platform.users u WHERE u.id IN (SELECT user_id FROM platform.memberships WHERE tenant_id = '" + id + "' "
      + "UNION SELECT created_by FROM platform.api_keys WHERE tenant_id = '" + id + "') ORDER BY u.id";
  }

  static String memberships(UUID id) {
    return "SELECT json_build_object('user_id', user_id, 'role', role, 'created_at', created_at)::text "
      + "FROM platform.memberships WHERE tenant_id = '" + id + "' ORDER BY user_id";
  }

  /** API keys' metadata; never their secrets' hashes. */
  static String apiKeys(UUID id) {
    return "SELECT json_build_object('id', id, 'name', name, 'scopes', scopes, 'created_by', created_by, "
      + "'created_at', created_at, 'expires_at', expires_at, 'last_used_at', last_used_at, 'revoked_at', revoked_at)::text "
      + "FROM platform.api_keys WHERE tenant_id = '" + id + "' ORDER BY id";
  }

  static String collections(String schema, UUID id) {
    return "SELECT DISTINCT collection FROM " + quoteIdent(schema) + ".records WHERE tenant_id = '" + id + "' ORDER BY 1";
  }

  static String records(String schema, UUID id, String collection) {
    if (!BundleFormat.COLLECTION.matcher(collection).matches()) {
      throw new IllegalArgumentException("not a collection name: " + collection);
    }
    return "SELECT json_build_object('id', id, 'version', version, 'data', data, 'created_at', created_at, "
      + "'updated_at', updated_at)::text FROM " + quoteIdent(schema) + ".records WHERE tenant_id = '" + id
      + "' AND collection = '" + collection + "' ORDER BY id";
  }

  static String auditLog(String schema, UUID id) {
    return "SELECT json_build_object('id', id, 'at', at, 'actor_user', actor_user, 'actor_key', actor_key, "
      + "'impersonator', impersonator, 'action', action, 'target', target, 'outcome', outcome, 'status', status, "
      + "'request_id', request_id, 'client_address', client_address, 'detail', detail)::text FROM "
      + quoteIdent(schema) + ".audit_log WHERE tenant_id = '" + id + "' ORDER BY at, id";
  }

  static String auditSeals(String schema, UUID id) {
    return "SELECT json_build_object('position', position, 'entry_id', entry_id, 'hash', encode(hash, 'hex'), "
      + "'sealed_at', sealed_at)::text FROM " + quoteIdent(schema) + ".audit_seal WHERE tenant_id = '" + id
      + "' ORDER BY position";
  }

  static String auditAnchors(String schema, UUID id) {
    return "SELECT json_build_object('position', position, 'hash', encode(hash, 'hex'), 'pruned_at', pruned_at)::text "
      + "FROM " + quoteIdent(schema) + ".audit_anchor WHERE tenant_id = '" + id + "' ORDER BY position";
  }

  /** The tenant's file metadata (never the blob store's location: only the blob's name, made by the server). */
  static String files(String schema, UUID id) {
    return "SELECT json_build_object('path', path, 'blob', blob, 'size', size, 'content_type', content_type, "
      + "'sha256', sha256, 'uploader', uploader, 'created_at', created_at, 'updated_at', updated_at)::text FROM "
      + quoteIdent(schema) + ".files WHERE tenant_id = '" + id + "' ORDER BY path";
  }
}
