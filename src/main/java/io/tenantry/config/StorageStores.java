package io.tenantry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parses storage.stores: a YAML list in a file, or the same list as YAML/JSON text in an environment variable or flag
 * (as auth.external-issuers). Each entry is a named S3-compatible store; every failure names the key and the entry.
 */
final class StorageStores {
  static final String KEY = "storage.stores";
  private static final Set<String> FIELDS = Set.of("name", "endpoint", "region", "bucket", "access-key", "secret-key",
    "path-style", "prefix", "tenants");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private StorageStores() {
  }

  static List<Config.NamedStore> parse(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      String text = node.asText().trim();
      if (text.isEmpty()) {
        return List.of();
      }
      try {
        node = YAML.readTree(text);
      } catch (IOException e) {
        throw new ConfigException(KEY, "must be a YAML or JSON list of stores");
      }
    }
    if (!node.isArray()) {
      throw new ConfigException(KEY, "must be a list of stores");
    }
    List<Config.NamedStore> stores = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      Config.NamedStore store = entry(node.get(i), KEY + "[" + i + "]");
      if (!names.add(store.name())) {
        throw new ConfigException(KEY + "[" + i + "].name", "names a store listed twice: " + store.name());
      }
      stores.add(store);
    }
    return List.copyOf(stores);
  }

  private static Config.NamedStore entry(JsonNode node, String key) {
    if (node == null || !node.isObject()) {
      throw new ConfigException(key, "must be a mapping with name, endpoint, bucket, access-key, secret-key");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new ConfigException(key + "." + field, "unknown key; allowed are " + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    String name = text(node, "name", "");
    if (!name.matches("[a-z0-9][a-z0-9-]{0,62}") || name.equals("local") || name.equals("s3")) {
      throw new ConfigException(key + ".name", "must be 1-63 of a-z 0-9 - (and neither local nor s3, the built-in names)");
    }
    String pathStyle = text(node, "path-style", "true");
    if (!pathStyle.equals("true") && !pathStyle.equals("false")) {
      throw new ConfigException(key + ".path-style", "must be true or false");
    }
    Config.S3Settings s3 = new Config.S3Settings(text(node, "endpoint", ""), text(node, "region", "us-east-1"),
      text(node, "bucket", ""), text(node, "access-key", ""), text(node, "secret-key", ""), pathStyle.equals("true"),
      text(node, "prefix", "tenantry"));
    if (!s3.configured()) {
      throw new ConfigException(key + ".endpoint", "is required");
    }
    check(s3, key);
    List<String> tenants = new ArrayList<>();
    JsonNode list = node.path("tenants");
    if (!list.isMissingNode() && !list.isNull()) {
      if (!list.isArray()) {
        throw new ConfigException(key + ".tenants", "must be a list of tenant slugs");
      }
      list.forEach(slug -> tenants.add(slug.asText()));
    }
    return new Config.NamedStore(name, s3, List.copyOf(tenants));
  }

  /** The form of an S3 store's settings (storage.s3 or an entry of storage.stores). */
  static void check(Config.S3Settings s3, String key) {
    if (s3.configured() && !s3.endpoint().matches("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?/?")) {
      throw new ConfigException(key + ".endpoint", "must be http(s)://host[:port]");
    }
    if (s3.configured() && !s3.bucket().matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
      throw new ConfigException(key + ".bucket", "must be an S3 bucket name (3-63 of a-z 0-9 . -)");
    }
    if (s3.configured() && (s3.accessKey().isEmpty() || s3.secretKey().isEmpty())) {
      throw new ConfigException(key + ".access-key", "and secret-key are required with an endpoint");
    }
    if (!s3.region().matches("[a-z0-9\\-]{1,40}")) {
      throw new ConfigException(key + ".region", "must be a region name such as us-east-1");
    }
    if (!s3.prefix().matches("[A-Za-z0-9._\\-]{0,100}")) {
      throw new ConfigException(key + ".prefix", "must be at most 100 of A-Z a-z 0-9 . _ -");
    }
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? fallback : value.asText().trim();
  }
}
