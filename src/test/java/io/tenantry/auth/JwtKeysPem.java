package io.tenantry.auth;

import io.vertx.core.Vertx;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

/** Test access to PEM encoding of generated keys, and tokens signed with them. */
public final class JwtKeysPem {
  private JwtKeysPem() {
  }

  public static String privatePem(KeyPair pair) {
    return JwtKeys.pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  public static String publicPem(KeyPair pair) {
    return JwtKeys.pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  /** Tokens signed with a new RSA key pair: issuer and audience "tenantry", 900 s lifetime. */
  public static Tokens freshTokens(Vertx vertx) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    return new Tokens(vertx, new JwtKeys(privatePem(pair), publicPem(pair)), "tenantry", "tenantry", 900);
  }
}
