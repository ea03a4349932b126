package io.tenantry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Layers configuration: the defaults shipped in the jar (a copy of conf/tenantry.yaml), then a YAML file,
 * then TENANTRY_* environment variables, then --key=value flags. Keys unknown to the defaults are rejected,
 * so a typo is an error and not a silently ignored setting.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String DEFAULTS = "tenantry.yaml";
  /**
   * Environment variables that do not follow the naming rule, each standing for one key. TENANTRY_CLUSTER=true is
   * how operators switch clustering on (documented in the README); the rule's TENANTRY_CLUSTER_ENABLED works too.
   */
  private static final Map<String, String> ENV_ALIASES = Map.of("TENANTRY_CLUSTER", "cluster.enabled");

  private ConfigLoader() {
  }

  /** http.port -> TENANTRY_HTTP_PORT. */
  public static String envName(String key) {
    return "TENANTRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * @param file    a YAML file to layer over the defaults, or null for none
   * @param env     environment variables
   * @param flags   key=value overrides, highest precedence
   */
  public static Config load(Path file, Map<String, String> env, Map<String, String> flags) {
    ObjectNode tree = defaults();
    if (file != null) {
      merge(tree, readFile(file), "");
    }
    ENV_ALIASES.forEach((alias, key) -> {
      String value = env.get(alias);
      String canonical = env.get(envName(key));
      if (value != null && canonical != null && !value.equals(canonical)) {
        throw new ConfigException(key, alias + " and " + envName(key) + " disagree");
      }
      if (value != null) {
        set(tree, key, value);
      }
    });
    for (String key : leafKeys(tree, "")) {
      String value = env.get(envName(key));
      if (value != null) {
        set(tree, key, value);
      }
    }
    flags.forEach((key, value) -> {
      if (!leafKeys(defaults(), "").contains(key)) {
        throw new ConfigException(key, "unknown configuration key");
      }
      set(tree, key, value);
    });
    return Config.from(tree);
  }

  static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("built-in " + DEFAULTS + " is missing from the classpath");
      }
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("built-in " + DEFAULTS + " is unreadable", e);
    }
  }

  private static JsonNode readFile(Path file) {
    try {
      JsonNode node = YAML.readTree(Files.readAllBytes(file));
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!node.isObject()) {
        throw new ConfigException("config", file + " must hold a YAML mapping");
      }
      return node;
    } catch (IOException e) {
      throw new ConfigException("config", "cannot read " + file + ": " + firstLine(e.getMessage()));
    }
  }

  private static void merge(ObjectNode target, JsonNode overlay, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix + field.getKey();
      JsonNode existing = target.get(field.getKey());
      if (existing == null) {
        throw new ConfigException(key, "unknown configuration key");
      }
      if (existing.isObject()) {
        if (!field.getValue().isObject()) {
          throw new ConfigException(key, "must be a mapping");
        }
        merge((ObjectNode) existing, field.getValue(), key + ".");
      } else {
        if (field.getValue().isContainerNode() && !(existing.isArray() && field.getValue().isArray())) {
          throw new ConfigException(key, "must be a single value");
        }
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private static List<String> leafKeys(JsonNode node, String prefix) {
    List<String> keys = new ArrayList<>();
    node.fields().forEachRemaining(field -> {
      String key = prefix + field.getKey();
      if (field.getValue().isObject()) {
        keys.addAll(leafKeys(field.getValue(), key + "."));
      } else {
        keys.add(key);
      }
    });
    return keys;
  }

  private static void set(ObjectNode tree, String key, String value) {
    String[] parts = key.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = (ObjectNode) node.get(parts[i]);
    }
    node.set(parts[parts.length - 1], TextNode.valueOf(value));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
