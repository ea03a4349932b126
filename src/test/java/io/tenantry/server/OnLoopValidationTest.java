package io.tenantry.server;

import io.vertx.core.Vertx;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** String parameters are validated as their own text, with the contract's schemas, and give the library's errors. */
class OnLoopValidationTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static OnLoopValidation.Validator validator;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = LoadedContract.load(vertx);
    validator = new OnLoopValidation.Validator(vertx, contract);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static Parameter parameter(String operationId, String name) {
    return LoadedContract.parameter(contract, operationId, name);
  }

  private static Object validated(String operationId, String name, Object raw) {
    return validator.validateParameter(parameter(operationId, name), new RequestParameterImpl(raw)).get();
  }

  @Test
  void aStringParameterIsItsOwnText() {
    String id = UUID.randomUUID().toString();
    assertThat(validated("getRecord", "id", id)).isEqualTo(id);
    assertThat(validated("getRecord", "collection", "notes")).isEqualTo("notes");
  }

  @Test
  void theSchemaStillRefusesWhatTheContractRefuses() {
    assertThatThrownBy(() -> validated("getRecord", "collection", "Not A Collection!"))
      .isInstanceOf(ValidatorException.class).hasMessageContaining("collection");
    assertThatThrownBy(() -> validated("getRecord", "collection", "x".repeat(500)))
      .isInstanceOf(ValidatorException.class);
  }

  @Test
  void theRoutesParametersAreTheOnesWithCompiledChecks() {
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    int compiled = 0;
    for (OpenAPIRoute route : builder.getRoutes()) {
      for (Parameter parameter : route.getOperation().getParameters()) {
        if (StringParameterCheck.of(parameter.getSchema()).isPresent()) {
          assertThat(validator.compiled(parameter)).as("%s %s", route.getOperation().getOperationId(), parameter.getName())
            .isTrue();
          compiled++;
        }
      }
    }
    assertThat(compiled).isGreaterThan(100);
  }

  @Test
  void aValueTheCompiledCheckDoesNotAcceptIsJudgedByTheLibrary() {
    assertThat(validated("getRecord", "collection", "x".repeat(63))).isEqualTo("x".repeat(63));
    assertThatThrownBy(() -> validated("getRecord", "collection", "x".repeat(64))).isInstanceOf(ValidatorException.class)
      .hasMessageContaining("collection");
    assertThat(validated("getRecord", "id", "a".repeat(64))).isEqualTo("a".repeat(64));
    assertThatThrownBy(() -> validated("getRecord", "id", "a".repeat(65))).isInstanceOf(ValidatorException.class)
      .hasMessageContaining("id");
    assertThatThrownBy(() -> validated("getRecord", "id", "")).isInstanceOf(ValidatorException.class);
    // 40 code points in 80 UTF-16 units: over maxLength 64 under one reading, so the library decides (code points)
    String emoji = "\uD83D\uDE00".repeat(40);
    assertThat(validated("getRecord", "id", emoji)).isEqualTo(emoji);
  }

  @Test
  void textWithQuotesOrBackslashesAndOtherTypesTakeTheLibrarysWay() {
    assertThatThrownBy(() -> validated("getRecord", "collection", "a\"b")).isInstanceOf(ValidatorException.class);
    assertThatThrownBy(() -> validated("getRecord", "collection", "a\\b")).isInstanceOf(ValidatorException.class);
    assertThat(validated("listRecords", "limit", "5")).isEqualTo(5);
  }
}
