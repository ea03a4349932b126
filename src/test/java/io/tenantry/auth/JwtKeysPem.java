package io.tenantry.auth;

import java.security.KeyPair;

/** Test access to PEM encoding of generated keys. */
public final class JwtKeysPem {
  private JwtKeysPem() {
  }

  public static String privatePem(KeyPair pair) {
    return JwtKeys.pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  public static String publicPem(KeyPair pair) {
    return JwtKeys.pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }
}
