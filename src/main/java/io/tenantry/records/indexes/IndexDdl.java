package io.tenantry.records.indexes;

import io.tenantry.records.query.FieldFunctions;
import io.tenantry.records.query.FieldRef;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;
import static io.tenantry.db.SqlIdentifiers.quoteLiteral;

/**
 * The DDL of a declared index. DDL takes no bind parameters, so the index is built from checked values only: the
 * tenant id (a UUID's own text), the collection (a-z0-9_), and the field, whose path segments are letters, digits,
 * _ and - ({@link FieldRef}), each quoted as a literal. The index is partial, on this tenant's rows of this collection
 * (in a tier of its own the tenant clause is redundant but harmless), and its expression is exactly the query's field
 * expression ({@link FieldRef#sql}) once the bound path is folded into a constant, followed by id: it serves the
 * sort with its keyset paging; a data field's filters are served by the typed indexes on the leakproof field
 * functions beside it ({@link #create}). Names are rx_ and a hash of the declaration (the typed ones with _s, _n,
 * _t), unique in the schema (shared.records holds every shared-tier tenant's indexes): what the query guard looks for.
 */
public final class IndexDdl {
  private static final String TEXT = "_s";
  private static final String NUMBER = "_n";
  private static final String TIME = "_t";

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

  /**
   * The statements that build the declaration's indexes: the sort index on the jsonb field expression (what sorting
   * and its keyset paging use, and the whole index of created_at / updated_at), and for a data field, when the tenant's
   * records have the field functions, one index per function (text in the C collation, number key, time), on exactly
   * the expressions the query builder writes ({@link FieldFunctions}). Each is IF NOT EXISTS, so running them again
   * builds only what is missing: how a declaration made before the functions gets its typed indexes.
   */
  public static List<String> create(String schema, IndexDeclaration d, FieldFunctions functions) {
    FieldRef field = FieldRef.parse(d.field(), "field");
    String path = field.data()
      ? quoteLiteral("{" + field.segments().stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(",")) + "}")
      : null;
    List<String> all = new ArrayList<>();
    all.add(index(schema, d, d.indexName(), field.sql(path)));
    if (field.data() && functions != null) {
      all.add(index(schema, d, d.indexName() + TEXT, functions.text(path)));
      all.add(index(schema, d, d.indexName() + NUMBER, functions.number(path)));
      all.add(index(schema, d, d.indexName() + TIME, functions.time(path)));
      all.add(statistics(schema, d.indexName() + TEXT, functions.textValue(path)));
      all.add(statistics(schema, d.indexName() + NUMBER, functions.number(path)));
      all.add(statistics(schema, d.indexName() + TIME, functions.time(path)));
    }
    return all;
  }

  /** Every index a declaration may have: what DELETE drops and what an interrupted build may have left invalid. */
  public static List<String> indexNames(String indexName) {
    return List.of(indexName, indexName + TEXT, indexName + NUMBER, indexName + TIME);
  }

  /**
   * Statistics on a typed expression (ANALYZE, which ends the build, fills them). The planner ignores a partial index's
   * own expression statistics, and without any it guesses a third of the rows for a range, then prefers reading the
   * collection in id order to an index search; with them it estimates the range (its operators are leakproof, so
   * PostgreSQL uses the statistics under row-level security too). On shared.records they cover every tenant's values
   * at that path: an estimate, not an exact count.
   */
  private static String statistics(String schema, String name, String expression) {
    return "CREATE STATISTICS IF NOT EXISTS " + quoteIdent(schema) + "." + quoteIdent(name) + " ON (" + expression
      + ") FROM " + quoteIdent(schema) + ".records";
  }

  /** Drops a declaration's statistics (an index's drop is {@link #drop}). */
  public static String dropStatistics(String schema, String name) {
    return "DROP STATISTICS IF EXISTS " + quoteIdent(schema) + "." + quoteIdent(name);
  }

  private static String index(String schema, IndexDeclaration d, String name, String expression) {
    return "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + quoteIdent(name) + " ON " + quoteIdent(schema)
      + ".records ((" + expression + "), id) WHERE tenant_id = " + quoteLiteral(d.tenantId().toString())
      + "::uuid AND collection = " + quoteLiteral(d.collection());
  }

  public static String analyze(String schema) {
    return "ANALYZE " + quoteIdent(schema) + ".records";
  }

  public static String drop(String schema, String indexName) {
    return "DROP INDEX CONCURRENTLY IF EXISTS " + quoteIdent(schema) + "." + quoteIdent(indexName);
  }
}
