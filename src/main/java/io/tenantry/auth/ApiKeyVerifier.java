package io.tenantry.auth;

import io.vertx.core.Future;

/** Verifies an API key as presented by a client; fails with a 401 problem, the same for every bad key. */
@FunctionalInterface
public interface ApiKeyVerifier {
  ApiKeyVerifier NONE = key -> Future.failedFuture(io.tenantry.http.Problem.unauthorized("API keys are not accepted here"));

  Future<Caller> verify(String key);
}
