package io.tenantry.templates;

import io.tenantry.provisioning.ProvisioningSpec;
import io.tenantry.tenant.Isolation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tenant template (docs/tenants.md#templates): a tier and a plan (each optional: the request's, or the defaults,
 * win), configuration values, and collections with their JSON Schemas and optional seed records.
 */
public record Template(String name, String description, Isolation isolation, String plan, JsonObject config,
                       List<ProvisioningSpec.Collection> collections) {
  public static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,63}");

  /** What a tenant made from this template gets, with the request's own plan and first admin. */
  public ProvisioningSpec spec(String requestedPlan, String adminEmail) {
    return new ProvisioningSpec(name, requestedPlan != null ? requestedPlan : plan, config.copy(), collections, adminEmail);
  }

  public JsonObject toJson() {
    JsonObject cols = new JsonObject();
    collections.forEach(c -> cols.put(c.name(), new JsonObject().put("schema", c.schema())
      .put("records", new JsonArray(new ArrayList<>(c.records())))));
    JsonObject json = new JsonObject().put("name", name);
    if (description != null) {
      json.put("description", description);
    }
    if (isolation != null) {
      json.put("isolation", isolation.sql());
    }
    if (plan != null) {
      json.put("plan", plan);
    }
    return json.put("config", config).put("collections", cols);
  }

  /** Reads a body already checked by {@link TemplateChecks} (or stored after that check). */
  static Template fromJson(String name, JsonObject body) {
    List<ProvisioningSpec.Collection> collections = new ArrayList<>();
    for (Map.Entry<String, Object> entry : body.getJsonObject("collections", new JsonObject())) {
      JsonObject c = (JsonObject) entry.getValue();
      List<JsonObject> records = new ArrayList<>();
      c.getJsonArray("records", new JsonArray()).forEach(r -> records.add((JsonObject) r));
      collections.add(new ProvisioningSpec.Collection(entry.getKey(), c.getJsonObject("schema"), records));
    }
    String isolation = body.getString("isolation");
    return new Template(name, body.getString("description"), isolation == null ? null : Isolation.parse(isolation),
      body.getString("plan"), body.getJsonObject("config", new JsonObject()), collections);
  }
}
