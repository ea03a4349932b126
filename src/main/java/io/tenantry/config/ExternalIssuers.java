package io.tenantry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses auth.external-issuers: a YAML list in a file, or the same list as YAML/JSON text in an environment variable
 * or flag. Every failure names the key and the entry.
 */
final class ExternalIssuers {
  static final String KEY = "auth.external-issuers";
  private static final Set<String> FIELDS = Set.of("issuer", "jwks-file", "jwks-url", "audience", "tenant-claim",
    "roles-claim", "role-mapping", "tenants", "refresh-seconds", "min-refetch-seconds");
  private static final Set<String> TENANT_ROLES = Set.of("tenant_admin", "member", "read_only");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ExternalIssuers() {
  }

  static List<ExternalIssuer> parse(JsonNode node, String ownIssuer) {
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
        throw new ConfigException(KEY, "must be a YAML or JSON list of issuers");
      }
    }
    if (!node.isArray()) {
      throw new ConfigException(KEY, "must be a list of issuers");
    }
    List<ExternalIssuer> issuers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      ExternalIssuer issuer = entry(node.get(i), KEY + "[" + i + "]");
      if (issuer.issuer().equals(ownIssuer)) {
        throw new ConfigException(KEY + "[" + i + "].issuer", "must differ from auth.issuer (Tenantry's own tokens)");
      }
      if (!seen.add(issuer.issuer())) {
        throw new ConfigException(KEY + "[" + i + "].issuer", "names an issuer listed twice: " + issuer.issuer());
      }
      issuers.add(issuer);
    }
    return List.copyOf(issuers);
  }

  private static ExternalIssuer entry(JsonNode node, String key) {
    if (!node.isObject()) {
      throw new ConfigException(key, "must be a mapping with issuer, jwks-file or jwks-url, tenants, role-mapping");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new ConfigException(key + "." + name, "unknown key; allowed are " + String.join(", ", FIELDS));
      }
    }
    String issuer = text(node, key, "issuer", null);
    String file = text(node, key, "jwks-file", "");
    String url = text(node, key, "jwks-url", "");
    if (file.isEmpty() == url.isEmpty()) {
      throw new ConfigException(key, "needs exactly one of jwks-file and jwks-url");
    }
    if (!url.isEmpty()) {
      String scheme;
      try {
        scheme = URI.create(url).getScheme();
      } catch (IllegalArgumentException e) {
        scheme = null;
      }
      if (!"https".equals(scheme) && !"http".equals(scheme)) {
        throw new ConfigException(key + ".jwks-url", "must be an https:// (or http://) URL");
      }
    }
    String audience = text(node, key, "audience", "");
    Map<String, String> mapping = new LinkedHashMap<>();
    JsonNode roles = node.path("role-mapping");
    if (!roles.isObject() || roles.isEmpty()) {
      throw new ConfigException(key + ".role-mapping", "must map at least one of the provider's role names to "
        + "tenant_admin, member or read_only");
    }
    roles.fields().forEachRemaining(field -> {
      String role = field.getValue().asText();
      if (!TENANT_ROLES.contains(role)) {
        throw new ConfigException(key + ".role-mapping." + field.getKey(), "must be tenant_admin, member or read_only "
          + "(an external token never grants super_admin)");
      }
      mapping.put(field.getKey(), role);
    });
    JsonNode tenantList = node.path("tenants");
    if (!tenantList.isArray() || tenantList.isEmpty()) {
      throw new ConfigException(key + ".tenants", "must list the tenants (slugs or ids) this issuer's tokens may name, "
        + "or [\"*\"] for any tenant");
    }
    List<String> tenants = new ArrayList<>();
    tenantList.forEach(t -> tenants.add(t.asText().trim()));
    return new ExternalIssuer(issuer, file, url, audience.isEmpty() ? null : audience,
      text(node, key, "tenant-claim", "tenant"), text(node, key, "roles-claim", "roles"), mapping, tenants,
      integer(node, key, "refresh-seconds", 300, 10, 86_400), integer(node, key, "min-refetch-seconds", 30, 1, 3600));
  }

  private static String text(JsonNode node, String key, String field, String otherwise) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.asText().isBlank()) {
      if (otherwise == null) {
        throw new ConfigException(key + "." + field, "is required");
      }
      return otherwise;
    }
    if (!value.isValueNode()) {
      throw new ConfigException(key + "." + field, "must be a single value");
    }
    return value.asText().trim();
  }

  private static int integer(JsonNode node, String key, String field, int otherwise, int min, int max) {
    String text = text(node, key, field, Integer.toString(otherwise));
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new ConfigException(key + "." + field, "must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + "." + field, "must be a whole number");
    }
  }
}
