package io.tenantry.records.indexes;

import io.tenantry.records.query.FieldRef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;
import static io.tenantry.db.SqlIdentifiers.quoteLiteral;

/**
 * The DDL of a declared index. DDL takes no bind parameters, so the index is built from checked values only: the
 * tenant id (a UUID's own text), the collection (a-z0-9_), and the field, whose path segments are letters, digits,
 * _ and - ({@link FieldRef}), each quoted as a literal. The index is partial, on this tenant's rows of this collection
 * (in a tier of its own the tenant clause is redundant but harmless), and its expression is exactly the query's field
 * expression ({@link FieldRef#sql}) once the bound path is folded into a constant, followed by id: it serves
 * equality, in, ranges and the sort with its keyset condition. Its name, rx_ and a hash of the declaration, is unique
 * in the schema (shared.records holds every shared-tier tenant's indexes) and is what the query guard looks for.
 */
public final class IndexDdl {
  private IndexDdl() {
  }

  public static String indexName(UUID tenant, String collection, String name, String field) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
        .digest((tenant + "|" + collection + "|" + name + "|" + field).getBytes(StandardCharsets.UTF_8));
      return "rx_" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String create(String schema, IndexDeclaration d) {
    FieldRef field = FieldRef.parse(d.field(), "field");
    String path = field.data()
      ? quoteLiteral("{" + field.segments().stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(",")) + "}")
      : null;
    return "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + quoteIdent(d.indexName()) + " ON " + quoteIdent(schema)
      + ".records (" + "(" + field.sql(path) + "), id) WHERE tenant_id = " + quoteLiteral(d.tenantId().toString())
      + "::uuid AND collection = " + quoteLiteral(d.collection());
  }

  public static String analyze(String schema) {
    return "ANALYZE " + quoteIdent(schema) + ".records";
  }

  public static String drop(String schema, String indexName) {
    return "DROP INDEX CONCURRENTLY IF EXISTS " + quoteIdent(schema) + "." + quoteIdent(indexName);
  }
}
