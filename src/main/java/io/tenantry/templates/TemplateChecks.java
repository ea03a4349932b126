package io.tenantry.templates;

import io.tenantry.colschema.SchemaSeeding;
import io.tenantry.http.Problem;
import io.tenantry.ratelimit.LimitsStore;
import io.tenantry.settings.Setting;
import io.tenantry.settings.SettingsCatalog;
import io.tenantry.tenant.Isolation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a template must be before it is stored: a known tier and plan, configuration values each declared and valid
 * against its setting's schema, collection schemas that a PUT of them would accept, and seed records within bounds
 * that match their collection's schema. Everything wrong is answered at once: a 422 whose {@code errors} each name a
 * JSON pointer into the template.
 */
final class TemplateChecks {
  static final int MAX_COLLECTIONS = 20;
  static final int MAX_RECORDS_PER_COLLECTION = 100;
  static final int MAX_RECORD_BYTES = 16 * 1024;
  private static final Pattern COLLECTION = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final int MAX_ERRORS = 20;

  private final SettingsCatalog catalog;
  private final SchemaSeeding schemas;
  private final LimitsStore limits;

  TemplateChecks(SettingsCatalog catalog, SchemaSeeding schemas, LimitsStore limits) {
    this.catalog = catalog;
    this.schemas = schemas;
    this.limits = limits;
  }

  Future<Template> check(String name, JsonObject body) {
    List<JsonObject> errors = new ArrayList<>();
    if (name == null || !Template.NAME.matcher(name).matches()) {
      error(errors, "/name", "a template name matches " + Template.NAME.pattern());
    }
    String isolation = body.getString("isolation");
    if (isolation != null && Isolation.parse(isolation) == null) {
      error(errors, "/isolation", "isolation is shared, schema or database");
    }
    checkConfig(body.getJsonObject("config", new JsonObject()), errors);
    JsonObject collections = body.getJsonObject("collections", new JsonObject());
    if (collections.size() > MAX_COLLECTIONS) {
      error(errors, "/collections", "at most " + MAX_COLLECTIONS + " collections");
    }
    Future<Void> checked = Future.succeededFuture();
    for (Map.Entry<String, Object> entry : collections) {
      String at = "/collections/" + escape(entry.getKey());
      if (!COLLECTION.matcher(entry.getKey()).matches()) {
        error(errors, at, "a collection name matches " + COLLECTION.pattern());
        continue;
      }
      JsonObject collection = (JsonObject) entry.getValue();
      checked = checked.compose(v -> checkCollection(at, collection, errors));
    }
    return checked.compose(v -> checkPlan(body.getString("plan"), errors)).compose(v -> {
      if (!errors.isEmpty()) {
        return Future.failedFuture(Problem.of(422, "invalid-template", "Invalid template",
            errors.size() + " problem(s); the first: " + errors.get(0).getString("pointer") + ": "
              + errors.get(0).getString("detail"))
          .withMembers(new JsonObject().put("errors", new JsonArray(new ArrayList<>(errors)))));
      }
      return Future.succeededFuture(Template.fromJson(name, body));
    });
  }

  private void checkConfig(JsonObject config, List<JsonObject> errors) {
    for (Map.Entry<String, Object> value : config) {
      String at = "/config/" + escape(value.getKey());
      Optional<Setting> setting = catalog.find(value.getKey());
      if (setting.isEmpty()) {
        error(errors, at, "no setting " + value.getKey() + "; the platform declares " + String.join(", ",
          catalog.all().keySet()));
        continue;
      }
      setting.get().check(value.getValue()).ifPresent(invalid ->
        error(errors, at + invalid.pointer(), invalid.message() + " (the setting's schema is at GET /admin/v1/settings)"));
    }
  }

  private Future<Void> checkCollection(String at, JsonObject collection, List<JsonObject> errors) {
    JsonObject schema = collection.getJsonObject("schema");
    JsonArray records = collection.getJsonArray("records", new JsonArray());
    if (schema == null) {
      error(errors, at + "/schema", "a collection names its JSON Schema");
      return Future.succeededFuture();
    }
    if (records.size() > MAX_RECORDS_PER_COLLECTION) {
      error(errors, at + "/records", "at most " + MAX_RECORDS_PER_COLLECTION + " seed records per collection");
      return Future.succeededFuture();
    }
    return schemas.compile(schema).compose(validator -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < records.size(); i++) {
        String recordAt = at + "/records/" + i;
        Object record = records.getValue(i);
        if (!(record instanceof JsonObject data)) {
          error(errors, recordAt, "a seed record is a JSON object");
          continue;
        }
        if (data.toBuffer().length() > MAX_RECORD_BYTES) {
          error(errors, recordAt, "a seed record is at most " + MAX_RECORD_BYTES + " bytes of JSON");
          continue;
        }
        chain = chain.compose(v -> schemas.check(validator, data).map(wrong -> {
          if (wrong != null) {
            error(errors, recordAt, "does not match the collection's schema: " + wrong);
          }
          return null;
        }));
      }
      return chain;
    }, invalid -> {
      String detail = invalid instanceof Problem problem ? problem.detail() : invalid.getMessage();
      error(errors, at + "/schema", detail);
      return Future.succeededFuture();
    });
  }

  private Future<Void> checkPlan(String plan, List<JsonObject> errors) {
    if (plan == null) {
      return Future.succeededFuture();
    }
    return limits.plan(plan).map(found -> {
      if (found.isEmpty()) {
        error(errors, "/plan", "there is no plan named '" + plan + "'; GET /admin/v1/plans lists them");
      }
      return null;
    });
  }

  private static void error(List<JsonObject> errors, String pointer, String detail) {
    if (errors.size() < MAX_ERRORS) {
      errors.add(new JsonObject().put("pointer", pointer).put("detail", detail));
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
