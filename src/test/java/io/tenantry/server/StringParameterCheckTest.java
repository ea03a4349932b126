package io.tenantry.server;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A string parameter's compiled check: it accepts only what the library's validator accepts. */
class StringParameterCheckTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = LoadedContract.load(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static StringParameterCheck check(JsonObject schema) {
    return StringParameterCheck.of(JsonSchema.of(schema)).orElseThrow();
  }

  @Test
  void lengthsPatternAndEnumAreChecked() {
    StringParameterCheck lengths = check(new JsonObject().put("type", "string").put("minLength", 2).put("maxLength", 4));
    assertThat(lengths.accepts("ab")).isTrue();
    assertThat(lengths.accepts("abcd")).isTrue();
    assertThat(lengths.accepts("a")).isFalse();
    assertThat(lengths.accepts("abcde")).isFalse();

    StringParameterCheck pattern = check(new JsonObject().put("type", "string").put("pattern", "[0-9]"));
    assertThat(pattern.accepts("a1b")).as("JSON Schema patterns are not anchored").isTrue();
    assertThat(pattern.accepts("abc")).isFalse();

    StringParameterCheck anchored = check(new JsonObject().put("type", "string").put("pattern", "^[a-z][a-z0-9_]{0,62}$"));
    assertThat(anchored.accepts("notes")).isTrue();
    assertThat(anchored.accepts("Notes")).isFalse();

    StringParameterCheck values = check(new JsonObject().put("type", "string")
      .put("enum", new JsonArray().add("shared").add("schema").add(1)));
    assertThat(values.accepts("schema")).isTrue();
    assertThat(values.accepts("database")).isFalse();
    assertThat(values.accepts("1")).as("a number in the enum is not the text '1'").isFalse();
  }

  @Test
  void aLengthIsAcceptedOnlyWhenItFitsCountedEitherWay() {
    String twoCodePoints = "\uD83D\uDE00\uD83D\uDE01"; // two emoji: 2 code points, 4 UTF-16 units
    assertThat(check(new JsonObject().put("type", "string").put("maxLength", 2)).accepts(twoCodePoints))
      .as("4 units exceed 2 under one reading: the library decides").isFalse();
    assertThat(check(new JsonObject().put("type", "string").put("minLength", 3)).accepts(twoCodePoints))
      .as("2 code points fall short of 3 under one reading: the library decides").isFalse();
    assertThat(check(new JsonObject().put("type", "string").put("minLength", 2).put("maxLength", 4)).accepts(twoCodePoints))
      .isTrue();
  }

  @Test
  void aSchemaWithAnyOtherKeywordGetsNoCheck() {
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string").put("format", "uuid"))))
      .isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "integer")))).isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string").put("$ref", "#/x"))))
      .isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string").put("minLength", 1.5))))
      .isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string").put("pattern", 3))))
      .isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string")
      .put("description", "a name").put("example", "notes")))).isPresent();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string").putNull("pattern"))))
      .isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string").putNull("enum"))))
      .isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "string").put("pattern", "(["))))
      .as("an expression Java cannot compile").isEmpty();
    assertThat(StringParameterCheck.of(JsonSchema.of(new JsonObject().put("type", "String")))).isEmpty();
    assertThat(StringParameterCheck.of(null)).isEmpty();
  }

  @Test
  void everyStringParameterOfTheContractExceptTheFormattedOneHasACheck() {
    List<String> without = new ArrayList<>();
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        if (parameter.getSchemaType() == SchemaType.STRING && StringParameterCheck.of(parameter.getSchema()).isEmpty()) {
          without.add(operation.getOperationId() + " " + parameter.getName());
        }
      }
    }
    assertThat(without).as("string parameters the library validates alone").hasSizeLessThanOrEqualTo(2)
      .allSatisfy(name -> assertThat(parameter(name).getSchema().containsKey("format")).isTrue());
    assertThat(StringParameterCheck.of(parameter("getRecord collection").getSchema())).isPresent();
    assertThat(StringParameterCheck.of(parameter("getRecord id").getSchema())).isPresent();
  }

  /** Over every string parameter of the contract and values near each of its limits: accepted here ⇒ valid there. */
  @Test
  void whatItAcceptsTheLibraryAcceptsForEveryParameterOfTheContract() {
    int accepted = 0;
    int refused = 0;
    for (Operation operation : contract.operations()) {
      for (Parameter parameter : operation.getParameters()) {
        if (parameter.getSchemaType() != SchemaType.STRING) {
          continue;
        }
        StringParameterCheck check = StringParameterCheck.of(parameter.getSchema()).orElse(null);
        if (check == null) {
          continue;
        }
        var library = contract.getSchemaRepository().validator(parameter.getSchema());
        for (String value : samples(parameter.getSchema())) {
          boolean valid = library.validate(value).getValid();
          if (check.accepts(value)) {
            accepted++;
            assertThat(valid).as("%s %s accepts %s", operation.getOperationId(), parameter.getName(), value).isTrue();
          } else if (!valid) {
            refused++;
          }
        }
      }
    }
    assertThat(accepted).as("values both accept").isGreaterThan(100);
    assertThat(refused).as("values both refuse").isGreaterThan(100);
  }

  private static Parameter parameter(String operationAndName) {
    String[] parts = operationAndName.split(" ");
    return LoadedContract.parameter(contract, parts[0], parts[1]);
  }

  private static List<String> samples(JsonSchema schema) {
    List<String> values = new ArrayList<>(List.of("", "a", "notes", "Notes", "0", "12345", "123456", "x-y_z", "a.b",
      "with space", "ünïcödé", "\uD83D\uDE00", UUID.randomUUID().toString(), "true", "shared", "member", "pending",
      "success", "-", "~", "a/b"));
    for (String key : List.of("minLength", "maxLength")) {
      if (schema.get(key) instanceof Integer n) {
        for (int length : new int[]{n - 1, n, n + 1}) {
          if (length >= 0 && length < 10_000) {
            values.add("a".repeat(length));
            values.add("\uD83D\uDE00".repeat(Math.max(0, length / 2)));
          }
        }
      }
    }
    if (schema.get("enum") instanceof JsonArray members) {
      members.forEach(member -> values.add(String.valueOf(member)));
    }
    return values;
  }
}
