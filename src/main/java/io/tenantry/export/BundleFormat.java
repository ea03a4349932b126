package io.tenantry.export;

import java.util.regex.Pattern;

/**
 * The names of a tenant bundle's parts (docs/export-format.md). A bundle is a POSIX tar whose first entry is
 * {@link #MANIFEST}; every other entry is a part the manifest lists with its SHA-256, size and item count.
 */
public final class BundleFormat {
  /**
   * Bumped on any change a reader of the previous version could misread. 2 added the files parts, 3 the declared
   * indexes ({@link #INDEXES}); an older bundle (no files, no indexes) reads the same under version 3's rules, so
   * this server reads all three.
   */
  public static final int VERSION = 3;
  public static final int OLDEST_READ = 1;
  public static final String FORMAT = "tenantry-tenant-bundle";

  public static final String MANIFEST = "manifest.json";
  public static final String TENANT = "tenant.json";
  public static final String TENANT_SETTINGS = "config/tenant-settings.ndjson";
  public static final String USER_SETTINGS = "config/user-settings.ndjson";
  public static final String SCHEMAS = "schemas.ndjson";
  /**
   * The tenant's declared collection indexes (version 3): right after the {@link #PLATFORM_PARTS}, before the records;
   * absent from older bundles. The indexes themselves are rebuilt where the tenant is imported.
   */
  public static final String INDEXES = "indexes.ndjson";
  public static final String USERS = "users.ndjson";
  public static final String MEMBERSHIPS = "memberships.ndjson";
  public static final String API_KEYS = "api-keys.ndjson";
  public static final String AUDIT_LOG = "audit/log.ndjson";
  public static final String AUDIT_SEALS = "audit/seals.ndjson";
  public static final String AUDIT_ANCHORS = "audit/anchors.ndjson";
  public static final String RECORDS_DIR = "records/";
  public static final String FILES_DIR = "files/";
  /** The tenant's file metadata, one file a line; its blobs follow as {@link #FILE_BLOBS}{@code <blob>} parts. */
  public static final String FILES_INDEX = "files/index.ndjson";
  public static final String FILE_BLOBS = "files/blobs/";
  /** A blob's name (storage's own form: 32 hex digits), never a user's path. */
  public static final Pattern BLOB = Pattern.compile("[0-9a-f]{32}");

  /** The parts every bundle has, in this order, first after the manifest; records, audit and files parts follow. */
  public static final java.util.List<String> PLATFORM_PARTS =
    java.util.List.of(TENANT, USERS, MEMBERSHIPS, API_KEYS, TENANT_SETTINGS, USER_SETTINGS, SCHEMAS);
  /** The audit parts, in this order, after the records parts. */
  public static final java.util.List<String> AUDIT_PARTS = java.util.List.of(AUDIT_LOG, AUDIT_SEALS, AUDIT_ANCHORS);

  /** A collection's name, as the records tables' CHECK constraint allows it; also safe inside a SQL literal. */
  public static final Pattern COLLECTION = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private BundleFormat() {
  }

  public static String records(String collection) {
    return RECORDS_DIR + collection + ".ndjson";
  }

  public static String blob(String name) {
    if (!BLOB.matcher(name).matches()) {
      throw new IllegalArgumentException("not a blob name: " + name);
    }
    return FILE_BLOBS + name;
  }

  /** The blob a blob part holds, or null when {@code part} is no blob part. */
  public static String blobOf(String part) {
    if (!part.startsWith(FILE_BLOBS)) {
      return null;
    }
    String name = part.substring(FILE_BLOBS.length());
    return BLOB.matcher(name).matches() ? name : null;
  }

  /** The collection a records part holds, or null when {@code part} is no records part. */
  public static String collectionOf(String part) {
    if (!part.startsWith(RECORDS_DIR) || !part.endsWith(".ndjson")) {
      return null;
    }
    String name = part.substring(RECORDS_DIR.length(), part.length() - ".ndjson".length());
    return COLLECTION.matcher(name).matches() ? name : null;
  }
}
