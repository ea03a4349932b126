package io.tenantry.provisioning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What a tenant's provisioning builds beyond its home: the template it was made from (its contents copied, so a
 * retry after the template changed still builds what was asked), the plan, configuration values, collections with
 * their schemas and seed records, and whom to invite as its first admin. Stored as the job's spec.
 */
public record ProvisioningSpec(String template, String plan, JsonObject config, List<Collection> collections,
                               String adminEmail) {
  public static final ProvisioningSpec NONE = new ProvisioningSpec(null, null, new JsonObject(), List.of(), null);

  /** A collection to declare, with its JSON Schema and the records to insert (in order). */
  public record Collection(String name, JsonObject schema, List<JsonObject> records) {
  }

  public JsonObject toJson() {
    JsonArray cols = new JsonArray();
    collections.forEach(c -> cols.add(new JsonObject().put("name", c.name()).put("schema", c.schema())
      .put("records", new JsonArray(new ArrayList<>(c.records())))));
    return new JsonObject().put("template", template).put("plan", plan).put("config", config)
      .put("collections", cols).put("admin_email", adminEmail);
  }

  public static ProvisioningSpec fromJson(JsonObject json) {
    List<Collection> collections = new ArrayList<>();
    JsonArray cols = json.getJsonArray("collections", new JsonArray());
    for (int i = 0; i < cols.size(); i++) {
      JsonObject c = cols.getJsonObject(i);
      List<JsonObject> records = new ArrayList<>();
      c.getJsonArray("records", new JsonArray()).forEach(r -> records.add((JsonObject) r));
      collections.add(new Collection(c.getString("name"), c.getJsonObject("schema"), records));
    }
    return new ProvisioningSpec(json.getString("template"), json.getString("plan"),
      json.getJsonObject("config", new JsonObject()), collections, json.getString("admin_email"));
  }
}
