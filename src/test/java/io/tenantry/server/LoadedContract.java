package io.tenantry.server;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;

import java.util.concurrent.TimeUnit;

/** The server's own openapi.yaml, loaded as the server loads it, for tests of validation. */
final class LoadedContract {
  private LoadedContract() {
  }

  static OpenAPIContract load(Vertx vertx) throws Exception {
    return ApiContract.load(vertx).await(30, TimeUnit.SECONDS).contract();
  }

  static Parameter parameter(OpenAPIContract contract, String operationId, String name) {
    return contract.operation(operationId).getParameters().stream()
      .filter(p -> p.getName().equals(name)).findFirst().orElseThrow();
  }
}
