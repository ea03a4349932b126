package io.tenantry.colschema;

import io.tenantry.http.Problem;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a tenant's schema into a {@link Validator}, or a 422 saying what is wrong with it: first the bounds of
 * {@link SchemaRules}, then the draft 2020-12 meta-schema (which also checks that every pattern is a regular
 * expression). CPU work: called on the schema workers only.
 */
final class SchemaCompiler {
  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions()
    .setDraft(Draft.DRAFT202012)
    .setBaseUri("urn:tenantry:collection-schema")
    .setOutputFormat(OutputFormat.Basic);
  private static final int MAX_LISTED = 20;

  private final Validator metaSchema;

  /** Reads the bundled meta-schemas from the class path: blocking, so made once at boot. */
  SchemaCompiler(FileSystem fs) {
    this.metaSchema = SchemaRepository.create(OPTIONS).preloadMetaSchema(fs, Draft.DRAFT202012)
      .validator(SchemaRules.DRAFT);
  }

  Validator compile(JsonObject schema) {
    List<String> wrong = SchemaRules.check(schema, schema.toBuffer().length());
    if (wrong.isEmpty()) {
      OutputUnit meta = metaSchema.validate(schema);
      if (!Boolean.TRUE.equals(meta.getValid())) {
        wrong = metaErrors(meta);
      }
    }
    if (!wrong.isEmpty()) {
      throw Problem.of(422, "invalid-schema", "Invalid collection schema",
          "the schema is not a valid JSON Schema (draft 2020-12) within this server's limits: " + wrong.get(0))
        .withMembers(new JsonObject().put("errors", new JsonArray(new ArrayList<>(wrong))));
    }
    return Validator.create(JsonSchema.of(schema.copy()), OPTIONS); // JsonSchema.of annotates what it is given
  }

  /** The meta-schema's innermost complaints, each as "where: what". */
  private static List<String> metaErrors(OutputUnit meta) {
    List<String> out = new ArrayList<>();
    for (OutputUnit error : ValidationErrors.leaves(meta)) {
      if (out.size() == MAX_LISTED) {
        break;
      }
      String where = ValidationErrors.pointer(error.getInstanceLocation());
      out.add((where.isEmpty() ? "(the schema itself)" : where) + ": " + error.getError());
    }
    if (out.isEmpty()) {
      out.add("(the schema itself): not a valid draft 2020-12 schema");
    }
    return out;
  }
}
