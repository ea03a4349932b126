package io.tenantry.export;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A bundle's manifest.json: what the bundle is, where it came from, and every part with its SHA-256, size in bytes
 * and number of items (lines of an NDJSON part; 1 for a JSON document).
 */
public record Manifest(int formatVersion, UUID sourceInstallation, String createdAt, JsonObject tenant,
                       boolean passwordHashes, List<Part> parts, JsonObject files) {

  public record Part(String name, String sha256, long bytes, long count) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("sha256", sha256).put("bytes", bytes).put("count", count);
    }
  }

  public UUID tenantId() {
    return UUID.fromString(tenant.getString("id"));
  }

  public Part part(String name) {
    return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  public long records() {
    return parts.stream().filter(p -> BundleFormat.collectionOf(p.name()) != null).mapToLong(Part::count).sum();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    parts.forEach(p -> list.add(p.toJson()));
    return new JsonObject()
      .put("format", BundleFormat.FORMAT)
      .put("format_version", formatVersion)
      .put("source_installation", sourceInstallation.toString())
      .put("created_at", createdAt)
      .put("tenant", tenant)
      .put("includes_password_hashes", passwordHashes)
      .put("files", files)
      .put("parts", list);
  }

  /**
   * Reads a manifest, refusing (IllegalArgumentException, its message for the operator) anything that is not a
   * manifest of the version this server reads.
   */
  public static Manifest parse(JsonObject json) {
    if (!BundleFormat.FORMAT.equals(json.getValue("format"))) {
      throw new IllegalArgumentException("not a Tenantry tenant bundle (manifest format is not '" + BundleFormat.FORMAT + "')");
    }
    Object version = json.getValue("format_version");
    if (!(version instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < BundleFormat.OLDEST_READ
      || n.intValue() > BundleFormat.VERSION) {
      throw new IllegalArgumentException("bundle format version " + version + " is not supported; this server reads versions "
        + BundleFormat.OLDEST_READ + " to " + BundleFormat.VERSION);
    }
    JsonObject tenant = json.getJsonObject("tenant");
    if (tenant == null || tenant.getString("id") == null || tenant.getString("slug") == null) {
      throw new IllegalArgumentException("the manifest names no tenant id and slug");
    }
    UUID.fromString(tenant.getString("id"));
    JsonArray list = json.getJsonArray("parts");
    if (list == null) {
      throw new IllegalArgumentException("the manifest lists no parts");
    }
    List<Part> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonObject p = list.getJsonObject(i);
      String sha = p.getString("sha256");
      if (p.getString("name") == null || sha == null || !sha.matches("[0-9a-f]{64}")
        || p.getLong("bytes") == null || p.getLong("count") == null) {
        throw new IllegalArgumentException("manifest part " + i + " needs name, sha256 (64 hex digits), bytes and count");
      }
      parts.add(new Part(p.getString("name"), sha, p.getLong("bytes"), p.getLong("count")));
    }
    return new Manifest(n(version), UUID.fromString(json.getString("source_installation")), json.getString("created_at"),
      tenant, json.getBoolean("includes_password_hashes", false), List.copyOf(parts),
      json.getJsonObject("files", new JsonObject()));
  }

  private static int n(Object version) {
    return ((Number) version).intValue();
  }
}
