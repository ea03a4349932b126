package io.tenantry.auth;

import io.vertx.core.Future;

/**
 * Verifies tokens of external identity providers (the idp package). {@link Tokens} hands it every token whose
 * {@code iss} is one of its issuers; Tenantry's own tokens never reach it.
 */
public interface ExternalVerifier {
  ExternalVerifier NONE = new ExternalVerifier() {
    @Override
    public boolean configured() {
      return false;
    }

    @Override
    public boolean handles(String issuer) {
      return false;
    }

    @Override
    public Future<Verified> verify(String token, String issuer) {
      return Future.failedFuture(new IllegalStateException("no external issuers"));
    }
  };

  /** A verified external token: its caller, and its exp, jti and iat for the cache and revocation. */
  record Verified(Caller caller, long expSeconds, String jti, long issuedAtSeconds) {
  }

  /** Whether any external issuer is configured: if not, tokens are not even looked at for their issuer. */
  boolean configured();

  boolean handles(String issuer);

  /** Fails with a 401 problem, like {@link Tokens#verify}. */
  Future<Verified> verify(String token, String issuer);
}
