package io.tenantry.importing;

import io.tenantry.export.BundleFormat;
import io.tenantry.http.Problem;
import io.tenantry.records.indexes.IndexDdl;
import io.tenantry.records.indexes.IndexEndpoints;
import io.tenantry.records.query.FieldRef;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The bundle's declared indexes ({@link BundleFormat#INDEXES}) as declarations of the imported tenant, in the import's
 * platform transaction, each "building": the indexes are built once the tenant exists (IndexCopies), and a node that
 * stops before that builds them at its next start, as it resumes any unfinished build. Each line is checked as a PUT
 * of the index would check it, and its index name made here (it hashes the tenant id, which the import keeps).
 */
final class BundleIndexes {
  private static final String INSERT = "INSERT INTO platform.record_indexes (tenant_id, collection, name, field, "
    + "index_name, status, created_at) VALUES (?, ?, ?, ?, ?, 'building', COALESCE(?, now()))";

  private BundleIndexes() {
  }

  static void load(Connection platform, UUID tenant, InputStream part) throws IOException, SQLException {
    BufferedReader lines = new BufferedReader(new InputStreamReader(part, StandardCharsets.UTF_8));
    try (PreparedStatement insert = platform.prepareStatement(INSERT)) {
      int n = 0;
      for (String line; (line = lines.readLine()) != null; ) {
        n++;
        JsonObject declared = declaration(line, n);
        String collection = declared.getString("collection");
        String name = declared.getString("name");
        String field = declared.getString("field");
        insert.setObject(1, tenant);
        insert.setString(2, collection);
        insert.setString(3, name);
        insert.setString(4, field);
        insert.setString(5, IndexDdl.indexName(tenant, collection, name, field));
        insert.setObject(6, createdAt(declared.getString("created_at")));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static JsonObject declaration(String line, int n) {
    JsonObject declared = BundleLines.object(BundleFormat.INDEXES, n, line);
    String collection = declared.getString("collection");
    String name = declared.getString("name");
    String field = declared.getString("field");
    if (collection == null || !BundleFormat.COLLECTION.matcher(collection).matches() || name == null
      || !IndexEndpoints.NAME.matcher(name).matches()) {
      throw BundleRefused.because(BundleFormat.INDEXES + " line " + n + " needs collection (" + BundleFormat.COLLECTION
        + ") and name (" + IndexEndpoints.NAME + ")");
    }
    try {
      FieldRef.parse(field, "field");
    } catch (Problem p) {
      throw BundleRefused.because(BundleFormat.INDEXES + " line " + n + ": " + p.getMessage());
    }
    return declared;
  }

  private static OffsetDateTime createdAt(String text) {
    try {
      return text == null ? null : OffsetDateTime.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
