package io.tenantry.importing;

import io.tenantry.export.BundleFormat;

import java.util.UUID;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * How each part's lines, staged one JSON object a row in {@link #LINES} by COPY, become rows. The tenant id is
 * inlined as a {@link UUID}'s own text and a collection only after it matched {@link BundleFormat#COLLECTION};
 * everything from the bundle travels as data, never as SQL. Users are matched to this installation's by id, then
 * by email ({@link #USER_MAP}); parts naming a user use the matched id.
 */
final class ImportSql {
  static final String LINES = "tenantry_import_lines";
  static final String USER_MAP = "tenantry_import_users";
  static final String CREATE_LINES = "CREATE TEMP TABLE " + LINES + " (line jsonb NOT NULL) ON COMMIT DROP";
  static final String CREATE_USER_MAP =
    "CREATE TEMP TABLE " + USER_MAP + " (bundle_id uuid PRIMARY KEY, user_id uuid NOT NULL) ON COMMIT DROP";
  static final String COPY_IN =
    "COPY " + LINES + " (line) FROM STDIN WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";
  static final String CLEAR = "TRUNCATE " + LINES;

  /** $1 slug, $2 isolation, $3-$5 database host, port, name, $6 schema version. */
  static String tenant(UUID id) {
    return "INSERT INTO platform.tenants (id, slug, name, status, isolation, db_host, db_port, db_name, schema_version, "
      + "migrated_at, statement_timeout_ms, plan) SELECT '" + id + "', ?, line->>'name', "
      + "CASE WHEN line->>'status' = 'suspended' THEN 'suspended' ELSE 'active' END, ?, ?, ?, ?, ?, now(), "
      + "(line->>'statement_timeout_ms')::integer, "
      + "COALESCE((SELECT p.name FROM platform.plans p WHERE p.name = line->>'plan'), 'default') FROM " + LINES
      + " WHERE (line->>'id')::uuid = '" + id + "'";
  }

  static final String USERS = "INSERT INTO platform.users (id, email, password_hash, super_admin, created_at) "
    + "SELECT (line->>'id')::uuid, line->>'email', COALESCE(line->>'password_hash', 'imported-without-password'), false, "
    + "(line->>'created_at')::timestamptz FROM " + LINES + " s WHERE NOT EXISTS (SELECT 1 FROM platform.users u "
    + "WHERE u.id = (s.line->>'id')::uuid OR lower(u.email) = lower(s.line->>'email'))";

  static final String MAP_USERS = "INSERT INTO " + USER_MAP + " (bundle_id, user_id) SELECT (line->>'id')::uuid, "
    + "(SELECT u.id FROM platform.users u WHERE u.id = (s.line->>'id')::uuid OR lower(u.email) = lower(s.line->>'email') "
    + "ORDER BY u.id = (s.line->>'id')::uuid DESC LIMIT 1) FROM " + LINES + " s";

  static String memberships(UUID id) {
    return "INSERT INTO platform.memberships (user_id, tenant_id, role, created_at) SELECT m.user_id, '" + id + "', "
      + "line->>'role', (line->>'created_at')::timestamptz FROM " + LINES + " JOIN " + USER_MAP
      + " m ON m.bundle_id = (line->>'user_id')::uuid";
  }

  /** Secrets never leave an installation: an imported key gets an unusable hash and is revoked; re-issue keys. */
  static String apiKeys(UUID id) {
    return "INSERT INTO platform.api_keys (id, tenant_id, name, scopes, secret_hash, created_by, created_at, expires_at, "
      + "last_used_at, revoked_at) SELECT (line->>'id')::uuid, '" + id + "', line->>'name', "
      + "ARRAY(SELECT jsonb_array_elements_text(line->'scopes')), sha256(convert_to(gen_random_uuid()::text, 'UTF8')), "
      + "m.user_id, (line->>'created_at')::timestamptz, (line->>'expires_at')::timestamptz, "
      + "(line->>'last_used_at')::timestamptz, COALESCE((line->>'revoked_at')::timestamptz, now()) FROM " + LINES
      + " JOIN " + USER_MAP + " m ON m.bundle_id = (line->>'created_by')::uuid";
  }

  static String tenantSettings(UUID id) {
    return "INSERT INTO platform.tenant_settings (tenant_id, key, value, updated_at) SELECT '" + id + "', line->>'key', "
      + "line->'value', (line->>'updated_at')::timestamptz FROM " + LINES;
  }

  static String userSettings(UUID id) {
    return "INSERT INTO platform.user_settings (tenant_id, user_id, key, value, updated_at) SELECT '" + id + "', m.user_id, "
      + "line->>'key', line->'value', (line->>'updated_at')::timestamptz FROM " + LINES + " JOIN " + USER_MAP
      + " m ON m.bundle_id = (line->>'user_id')::uuid";
  }

  static String schemas(UUID id) {
    return "INSERT INTO platform.collection_schemas (tenant_id, collection, schema, version, created_at, updated_at) "
      + "SELECT '" + id + "', line->>'collection', line->'schema', (line->>'version')::bigint, "
      + "(line->>'created_at')::timestamptz, (line->>'updated_at')::timestamptz FROM " + LINES;
  }

  /** Cached compiled schemas are known stale by this number: it must not go back below any schema's version. */
  static String schemasCounter(UUID id) {
    return "UPDATE platform.tenants SET collection_schemas = COALESCE((SELECT max(version) FROM platform.collection_schemas "
      + "WHERE tenant_id = '" + id + "'), 0) WHERE id = '" + id + "'";
  }

  static String records(String schema, UUID id, String collection) {
    if (!BundleFormat.COLLECTION.matcher(collection).matches()) {
      throw new IllegalArgumentException("not a collection name: " + collection);
    }
    return "INSERT INTO " + quoteIdent(schema) + ".records (tenant_id, collection, id, version, data, created_at, updated_at) "
      + "SELECT '" + id + "', '" + collection + "', (line->>'id')::uuid, (line->>'version')::bigint, line->'data', "
      + "(line->>'created_at')::timestamptz, (line->>'updated_at')::timestamptz FROM " + LINES;
  }

  static String auditLog(String schema, UUID id) {
    return "INSERT INTO " + quoteIdent(schema) + ".audit_log (tenant_id, id, at, actor_user, actor_key, impersonator, action, "
      + "target, outcome, status, request_id, client_address, detail) SELECT '" + id + "', (line->>'id')::uuid, "
      + "(line->>'at')::timestamptz, (line->>'actor_user')::uuid, (line->>'actor_key')::uuid, (line->>'impersonator')::uuid, "
      + "line->>'action', line->>'target', line->>'outcome', (line->>'status')::integer, line->>'request_id', "
      + "line->>'client_address', CASE WHEN jsonb_typeof(line->'detail') = 'null' THEN NULL ELSE line->'detail' END FROM " + LINES;
  }

  static String auditSeals(String schema, UUID id) {
    return "INSERT INTO " + quoteIdent(schema) + ".audit_seal (tenant_id, position, entry_id, hash, sealed_at) SELECT '" + id
      + "', (line->>'position')::bigint, (line->>'entry_id')::uuid, decode(line->>'hash', 'hex'), "
      + "(line->>'sealed_at')::timestamptz FROM " + LINES;
  }

  static String auditAnchors(String schema, UUID id) {
    return "INSERT INTO " + quoteIdent(schema) + ".audit_anchor (tenant_id, position, hash, pruned_at) SELECT '" + id
      + "', (line->>'position')::bigint, decode(line->>'hash', 'hex'), (line->>'pruned_at')::timestamptz FROM " + LINES;
  }

  /**
   * File metadata; its blobs are written to the blob store under the same names. The uploader is the matched user
   * ({@link #USER_MAP}, which the importer also fills on a database tier's connection), or none.
   */
  static String files(String schema, UUID id) {
    return "INSERT INTO " + quoteIdent(schema) + ".files (tenant_id, path, blob, size, content_type, sha256, uploader, "
      + "created_at, updated_at) SELECT '" + id + "', line->>'path', line->>'blob', (line->>'size')::bigint, "
      + "line->>'content_type', line->>'sha256', m.user_id, (line->>'created_at')::timestamptz, "
      + "(line->>'updated_at')::timestamptz FROM " + LINES + " LEFT JOIN " + USER_MAP
      + " m ON m.bundle_id = (line->>'uploader')::uuid";
  }
}
