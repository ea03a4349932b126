package io.tenantry.importing;

import io.tenantry.export.BundleFormat;
import io.tenantry.http.Problem;
import io.tenantry.http.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An NDJSON part's lines hold JSON the API would have accepted (docs/records.md, "What JSON is accepted"), and a
 * records part's lines each a record whose data is an object. The importer writes the lines with SQL, and
 * PostgreSQL would store a document the server cannot read back (nested beyond Jackson's limit: the database
 * driver closes its connection over it) or one it would not give back as written (duplicate keys, numbers beyond a
 * double).
 */
final class StrictLines implements BundleLines.Check {
  private final String part;
  private final int maxDepth;
  private final boolean records;

  /** @param maxDepth how deep a document (a record's data, a setting's value) may nest: {@code http.json-max-depth} */
  StrictLines(String part, int maxDepth) {
    this.part = part;
    this.maxDepth = maxDepth;
    this.records = BundleFormat.collectionOf(part) != null;
  }

  @Override
  public void line(int number, String line) {
    try {
      // a line wraps its document (a record's data, a setting's value) in one more object
      StrictJson.check(Buffer.buffer(line), maxDepth + 1);
    } catch (Problem refused) {
      throw BundleRefused.because(BundleLines.where(part, number) + " is not JSON the API would accept: " + refused.detail()
        + " (a line is one object, one level above the document it holds; http.json-max-depth here: " + maxDepth + ")");
    }
    if (records && !(BundleLines.object(part, number, line).getValue("data") instanceof JsonObject)) {
      throw BundleRefused.because(BundleLines.where(part, number) + " has no data object (a record's data is a JSON object)");
    }
  }
}
