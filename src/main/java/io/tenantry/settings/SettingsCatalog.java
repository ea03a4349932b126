package io.tenantry.settings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the platform declares, read once from {@code settings/index.txt} and one {@code settings/<key>.json}
 * per key in the jar. A string {@code "platform:<config key>"} anywhere in a declaration is replaced by that
 * operator setting's value (a tenant's token lifetime is bounded by auth.token-ttl-seconds), so bounds that belong
 * to the operator stay in conf/tenantry.yaml.
 */
public final class SettingsCatalog {
  private static final String PLATFORM = "platform:";
  private final Map<String, Setting> settings;

  private SettingsCatalog(Map<String, Setting> settings) {
    this.settings = Collections.unmodifiableMap(settings);
  }

  /** Reads the declarations; blocking (class-path reads): call at start-up. */
  public static SettingsCatalog load(Map<String, Object> platformValues) {
    Map<String, Setting> settings = new LinkedHashMap<>();
    for (String key : read("settings/index.txt").split("\n")) {
      key = key.strip();
      if (!key.isEmpty()) {
        JsonObject declaration = (JsonObject) substitute(new JsonObject(read("settings/" + key + ".json")), platformValues);
        settings.put(key, declare(key, declaration));
      }
    }
    return new SettingsCatalog(settings);
  }

  public static Setting declare(String key, JsonObject declaration) {
    JsonObject schema = declaration.getJsonObject("schema");
    Validator validator = Validator.create(JsonSchema.of(schema), new JsonSchemaOptions()
      .setDraft(Draft.DRAFT202012).setBaseUri("https://tenantry.io/settings/" + key).setOutputFormat(OutputFormat.Basic));
    return new Setting(key, declaration.getString("description"), declaration.getBoolean("user_level", false),
      declaration.getValue("default"), schema, validator);
  }

  public Optional<Setting> find(String key) {
    return Optional.ofNullable(settings.get(key));
  }

  public Map<String, Setting> all() {
    return settings;
  }

  public JsonObject toJson() {
    JsonArray items = new JsonArray();
    settings.values().forEach(s -> items.add(s.toJson()));
    return new JsonObject().put("items", items);
  }

  private static Object substitute(Object value, Map<String, Object> platformValues) {
    if (value instanceof String text && text.startsWith(PLATFORM)) {
      Object replaced = platformValues.get(text.substring(PLATFORM.length()));
      if (replaced == null) {
        throw new IllegalStateException("a setting refers to unknown platform value " + text);
      }
      return replaced;
    }
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put(e.getKey(), substitute(e.getValue(), platformValues)));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(v -> copy.add(substitute(v, platformValues)));
      return copy;
    }
    return value;
  }

  private static String read(String resource) {
    try (InputStream in = SettingsCatalog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
