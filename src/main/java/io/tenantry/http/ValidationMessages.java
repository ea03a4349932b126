package io.tenantry.http;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns vertx-openapi's validation failures ("Property "isolation" does not match additional properties schema at
 * #/isolation") into a detail naming the field and what it accepts ("isolation: must be one of shared, schema,
 * database (got "dedicated")"), read from the operation's schemas. Falls back to the validator's own text.
 */
public final class ValidationMessages {
  /** Where the failed request's operation is kept for the failure handler (set by the route, see ContractChecks). */
  public static final String OPERATION = "tenantry.operation";
  private static final Pattern PARAMETER = Pattern.compile("The value of (\\w+) parameter (\\S+) is invalid");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  private static final Pattern ECHOED = Pattern.compile("[A-Za-z0-9 _.@+-]{0,40}");
  /** Keywords that only report that something beneath them failed. */
  private static final Set<String> COMPOSITE = Set.of("properties", "items", "allOf", "anyOf", "oneOf", "$ref",
    "additionalProperties", "patternProperties", "prefixItems");

  private ValidationMessages() {
  }

  public static String describe(ValidatorException invalid, RoutingContext ctx) {
    Operation operation = ctx.get(OPERATION);
    if (!(invalid instanceof SchemaValidationException schemaFailure) || operation == null) {
      return invalid.getMessage();
    }
    try {
      OutputUnit unit = mostSpecific(schemaFailure.getOutputUnit());
      if (unit == null) {
        return invalid.getMessage();
      }
      Matcher parameter = PARAMETER.matcher(invalid.getMessage());
      if (parameter.find()) {
        String in = parameter.group(1);
        String name = parameter.group(2);
        JsonObject schema = parameterSchema(operation, name);
        return name + " (" + in + "): " + rule(unit, schema, parameterValue(ctx, in, name));
      }
      JsonObject schema = bodySchema(operation);
      Object body = ctx.body() == null || ctx.body().buffer() == null ? null : Json.decodeValue(ctx.body().buffer());
      String at = unit.getInstanceLocation();
      if ("required".equals(keyword(unit))) {
        Matcher property = QUOTED.matcher(unit.getError());
        return property.find() ? field(at, property.group(1)) + ": is required" : invalid.getMessage();
      }
      String subject = field(at, null);
      return (subject.isEmpty() ? "the body" : subject) + ": " + rule(unit, schema, valueAt(body, at));
    } catch (RuntimeException e) {
      return invalid.getMessage(); // a message we cannot improve is still better than none
    }
  }

  /** The deepest failure that names a rule of its own; an unknown property only when nothing else failed. */
  private static OutputUnit mostSpecific(OutputUnit root) {
    List<OutputUnit> all = new ArrayList<>();
    collect(root, all);
    OutputUnit extra = null;
    for (OutputUnit unit : all) {
      String keyword = keyword(unit);
      if (keyword != null && !COMPOSITE.contains(keyword)) {
        return unit;
      }
      if ("additionalProperties".equals(keyword) && extra == null) {
        extra = unit;
      }
    }
    return extra;
  }

  private static void collect(OutputUnit unit, List<OutputUnit> into) {
    if (unit.getKeywordLocation() != null) {
      into.add(unit);
    }
    if (unit.getErrors() != null) {
      unit.getErrors().forEach(child -> collect(child, into));
    }
  }

  private static String keyword(OutputUnit unit) {
    String location = unit.getKeywordLocation();
    return location == null ? null : location.substring(location.lastIndexOf('/') + 1);
  }

  private static String rule(OutputUnit unit, JsonObject root, Object value) {
    String keyword = keyword(unit);
    String location = unit.getKeywordLocation();
    JsonObject schema = schemaAt(root, location.substring(0, location.lastIndexOf('/')));
    String got = got(value);
    if (schema == null) {
      return unit.getError() + got;
    }
    return switch (keyword) {
      case "enum" -> "must be one of " + joined(schema.getJsonArray("enum")) + got;
      case "const" -> "must be " + shown(schema.getValue("const")) + got;
      case "pattern" -> "must match " + schema.getString("pattern") + got;
      case "type" -> "must be of type " + (schema.getValue("type") instanceof JsonArray types ? joined(types)
        .replace(", ", " or ") : schema.getValue("type")) + got;
      case "minimum" -> "must be at least " + schema.getValue("minimum") + got;
      case "maximum" -> "must be at most " + schema.getValue("maximum") + got;
      case "minLength" -> "must have at least " + schema.getValue("minLength") + " characters" + got;
      case "maxLength" -> "must have at most " + schema.getValue("maxLength") + " characters" + got;
      case "additionalProperties" -> {
        JsonObject properties = schema.getJsonObject("properties");
        yield "not allowed (allowed: " + (properties == null || properties.isEmpty() ? "none"
          : String.join(", ", properties.fieldNames())) + ")";
      }
      default -> unit.getError() + got;
    };
  }

  /** "#/database/name" -> "database.name"; a property reported by its parent is appended. */
  private static String field(String instanceLocation, String property) {
    String path = instanceLocation == null ? "" : instanceLocation.replaceFirst("^#/?", "").replace('/', '.');
    return property == null ? path : path.isEmpty() ? property : path + "." + property;
  }

  private static JsonObject schemaAt(JsonObject root, String pointer) {
    Object node = root;
    for (String part : pointer.replaceFirst("^#/?", "").split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (node instanceof JsonObject object) {
        node = object.getValue(part.replace("~1", "/").replace("~0", "~"));
      } else if (node instanceof JsonArray array) {
        node = array.getValue(Integer.parseInt(part));
      } else {
        return null;
      }
    }
    return node instanceof JsonObject object ? object : null;
  }

  private static Object valueAt(Object body, String instanceLocation) {
    Object node = body;
    for (String part : instanceLocation.replaceFirst("^#/?", "").split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (node instanceof JsonObject object) {
        node = object.getValue(part);
      } else if (node instanceof JsonArray array) {
        node = array.getValue(Integer.parseInt(part));
      } else {
        return null;
      }
    }
    return node;
  }

  private static JsonObject bodySchema(Operation operation) {
    if (operation.getRequestBody() == null) {
      return new JsonObject();
    }
    var media = operation.getRequestBody().getContent().get("application/json");
    return media == null ? new JsonObject() : json(media.getSchema());
  }

  private static JsonObject parameterSchema(Operation operation, String name) {
    for (Parameter p : operation.getParameters()) {
      if (p.getName().equalsIgnoreCase(name)) {
        return json(p.getSchema());
      }
    }
    return new JsonObject();
  }

  private static Object parameterValue(RoutingContext ctx, String in, String name) {
    return switch (in) {
      case "path" -> ctx.pathParam(name);
      case "query" -> ctx.queryParams().get(name);
      case "header" -> ctx.request().getHeader(name);
      default -> null;
    };
  }

  private static JsonObject json(JsonSchema schema) {
    JsonObject json = new JsonObject();
    schema.fieldNames().forEach(key -> json.put(key, schema.get(key)));
    return json;
  }

  private static String joined(JsonArray values) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(String.valueOf(v)));
    return String.join(", ", parts);
  }

  /**
   * The offending value, echoed only when it is a plain word or number: a client's quotes, brackets or SQL are not
   * reflected back (the field and its rule say enough).
   */
  private static String got(Object value) {
    if (value instanceof Number || value instanceof Boolean
        || value instanceof String text && ECHOED.matcher(text).matches()) {
      return " (got " + Json.encode(value) + ")";
    }
    return "";
  }

  private static String shown(Object value) {
    return Json.encode(value);
  }
}
