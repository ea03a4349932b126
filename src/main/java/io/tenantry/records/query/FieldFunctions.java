package io.tenantry.records.query;

import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * The leakproof field functions beside a tenant's records (platform V60 for shared.records, tenant V6 in a tenant's
 * schema or database): {@code record_text}, {@code record_number} (a monotonic float8 key), {@code record_time} and
 * {@code record_number_key}. Forced row-level security lets PostgreSQL use an index condition only when it is
 * leakproof, and no jsonb operator is; these functions are, so a declared index on them ({@code IndexDdl}) serves the
 * filters written with them here. Both sides must write exactly the same expression (schema, path constant,
 * collation), or the planner does not match them. docs/security/isolation.md#leakproof-field-functions says why each
 * function is leakproof.
 */
public final class FieldFunctions {
  /** The tenant migration that creates the functions in a schema- or database-tier tenant's schema. */
  public static final int TENANT_VERSION = 6;

  private final String schema;

  private FieldFunctions(String schema) {
    this.schema = quoteIdent(schema);
  }

  /** The tenant's functions; null when its schema or database has not been migrated to V6 yet. */
  public static FieldFunctions of(Tenant tenant) {
    return of(tenant.isolation(), tenant.schemaVersion(), tenant.schema());
  }

  /** The functions in a records table's schema of this tier and tenant migration version; null when not there yet. */
  public static FieldFunctions of(Isolation tier, int schemaVersion, String schema) {
    boolean present = tier == Isolation.SHARED || schemaVersion >= TENANT_VERSION;
    return present ? new FieldFunctions(schema) : null;
  }

  /** A JSON string at the path (else NULL), in the C collation: code point order, what prefix ranges need. */
  public String text(String path) {
    return "(" + textValue(path) + " COLLATE \"C\")";
  }

  /** record_text itself, without the collation: what its statistics are kept on. */
  public String textValue(String path) {
    return schema + ".record_text(data, " + path + "::text[])";
  }

  /** A JSON number at the path as its float8 key (else NULL). */
  public String number(String path) {
    return schema + ".record_number(data, " + path + "::text[])";
  }

  /** An RFC 3339 timestamp in a JSON string at the path (else NULL). */
  public String time(String path) {
    return schema + ".record_time(data, " + path + "::text[])";
  }

  /** The float8 key of a number bound as text (folded into a constant by the planner). */
  String numberKey(String value) {
    return schema + ".record_number_key(" + value + "::text::numeric)";
  }
}
