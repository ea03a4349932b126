package io.tenantry.importing;

import io.tenantry.http.Problem;
import io.tenantry.http.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A records part's lines hold what the records API would have accepted (docs/records.md, "What JSON is accepted"):
 * the importer writes them with SQL, and PostgreSQL would store a document the server cannot read back (nested
 * beyond Jackson's limit) or one it would not give back as it is written (duplicate keys, numbers beyond a double).
 */
final class RecordLines implements BundleLines.Check {
  private final String part;
  private final int maxDepth;

  /** @param maxDepth how deep a record's data may nest ({@code http.json-max-depth}) */
  RecordLines(String part, int maxDepth) {
    this.part = part;
    this.maxDepth = maxDepth;
  }

  @Override
  public void line(int number, String line) {
    try {
      // the line wraps the record's data in one more object
      StrictJson.check(Buffer.buffer(line), maxDepth + 1);
    } catch (Problem refused) {
      throw BundleRefused.because(where(number) + " is not a record the records API would accept: " + refused.detail()
        + " (a line is one object holding the record's data, one level above it; http.json-max-depth here: "
        + maxDepth + ")");
    }
    Object data;
    try {
      data = new JsonObject(line).getValue("data");
    } catch (DecodeException notAnObject) {
      throw BundleRefused.because(where(number) + " is not a JSON object (a line is one record)");
    }
    if (!(data instanceof JsonObject)) {
      throw BundleRefused.because(where(number) + " has no data object (a record's data is a JSON object)");
    }
  }

  private String where(int number) {
    return "part " + part + " line " + number;
  }
}
