package io.tenantry.server;

import io.vertx.core.Vertx;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** The loaded contract hands out one validator per schema, and those validators still validate. */
class CachedValidatorsContractTest {
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

  private static Parameter parameter(String operationId, String name) {
    return LoadedContract.parameter(contract, operationId, name);
  }

  @Test
  void oneValidatorPerSchemaIsReusedAcrossCalls() {
    SchemaRepository repository = contract.getSchemaRepository();
    Parameter id = parameter("getRecord", "id");
    Validator first = repository.validator(id.getSchema());
    assertThat(repository.validator(id.getSchema())).isSameAs(first);
    assertThat(repository.validator(parameter("getRecord", "collection").getSchema())).isNotSameAs(first);
  }

  @Test
  void cachedValidatorsStillRefuseWhatTheContractRefuses() {
    Validator collection = contract.getSchemaRepository().validator(parameter("listRecords", "collection").getSchema());
    assertThat(collection.validate("notes").getValid()).isTrue();
    assertThat(collection.validate("Not A Collection!").getValid()).isFalse();
    assertThat(contract.getSchemaRepository().validator(parameter("listRecords", "collection").getSchema())
      .validate("Not A Collection!").getValid()).isFalse();
  }
}
