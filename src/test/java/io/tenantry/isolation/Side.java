package io.tenantry.isolation;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * One tenant of a pairing: its tokens and its records (three "notes", one "other"), each holding a secret that
 * must never appear in another tenant's responses.
 *
 * @param database the database holding its records table; {@code schema} the schema of that table
 */
record Side(String slug, UUID id, String tier, String memberToken, String adminToken, List<String> noteIds,
            String otherId, String database, String schema) {

  String secret() {
    return "secret-of-" + slug;
  }

  JsonObject note(int i) {
    return new JsonObject().put("owner", slug).put("secret", secret()).put("n", i);
  }

  String table() {
    return "\"" + schema + "\".records";
  }
}
