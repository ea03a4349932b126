package io.tenantry.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider for tests: keys generated here (RSA for RS256, EC P-256 for ES256), a JWKS of the published
 * ones served by a Vert.x HTTP server of its own (counting fetches) or written to a file, and tokens signed with
 * any key and any header — also the ones an attacker would forge.
 */
public final class TestIdp implements AutoCloseable {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  public record Key(String kid, String alg, KeyPair pair) {
  }

  public final String issuer;
  private final Map<String, Key> published = new LinkedHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private Vertx vertx;
  private HttpServer server;
  private Path file;

  public TestIdp(String issuer) {
    this.issuer = issuer;
  }

  public static Key rsa(String kid) {
    return new Key(kid, "RS256", generate("RSA", null));
  }

  public static Key ec(String kid) {
    return new Key(kid, "ES256", generate("EC", new ECGenParameterSpec("secp256r1")));
  }

  /** Publishes exactly these keys from now on (the file, if any, is rewritten). */
  public synchronized TestIdp publish(Key... keys) {
    published.clear();
    for (Key key : keys) {
      published.put(key.kid(), key);
    }
    if (file != null) {
      writeFile();
    }
    return this;
  }

  public synchronized JsonObject jwks() {
    JsonArray keys = new JsonArray();
    published.values().forEach(k -> keys.add(jwk(k)));
    return new JsonObject().put("keys", keys);
  }

  /** Serves the JWKS at http://127.0.0.1:port/jwks; returns that URL. */
  public String serve() {
    vertx = Vertx.vertx();
    server = Await.result(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json").end(jwks().encode());
    }).listen(0, "127.0.0.1"), 10);
    return "http://127.0.0.1:" + server.actualPort() + "/jwks";
  }

  /** Writes the JWKS to a file (rewritten by {@link #publish}); returns its path. */
  public synchronized Path writeTo(Path path) {
    file = path;
    writeFile();
    return path;
  }

  public int fetches() {
    return fetches.get();
  }

  /** Claims of a token of this issuer for {@code tenant} with {@code roles}, valid for five minutes. */
  public JsonObject claims(String sub, String tenant, String... roles) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", issuer).put("sub", sub).put("aud", "tenantry").put("iat", now)
      .put("exp", now + 300).put("tenant", tenant).put("roles", new JsonArray(List.of(roles)));
  }

  public static String sign(Key key, JsonObject claims) {
    return sign(key, new JsonObject().put("alg", key.alg()).put("typ", "JWT").put("kid", key.kid()), claims);
  }

  /** Signs with the key's own algorithm whatever the header claims. */
  public static String sign(Key key, JsonObject header, JsonObject claims) {
    String input = segment(header) + "." + segment(claims);
    try {
      Signature signature = Signature.getInstance(key.alg().equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
      signature.initSign(key.pair().getPrivate());
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HMAC-SHA256 token whose secret is {@code secret} (the alg-confusion attack uses a public key's bytes). */
  public static String hs256(byte[] secret, JsonObject header, JsonObject claims) {
    String input = segment(header) + "." + segment(claims);
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned token ("alg": "none"). */
  public static String unsigned(JsonObject claims) {
    return segment(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + segment(claims) + ".";
  }

  public static String segment(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  public static JsonObject jwk(Key key) {
    if (key.pair().getPublic() instanceof RSAPublicKey rsa) {
      return new JsonObject().put("kty", "RSA").put("kid", key.kid()).put("use", "sig").put("alg", "RS256")
        .put("n", unsigned(rsa.getModulus(), 0)).put("e", unsigned(rsa.getPublicExponent(), 0));
    }
    ECPublicKey ec = (ECPublicKey) key.pair().getPublic();
    return new JsonObject().put("kty", "EC").put("kid", key.kid()).put("use", "sig").put("alg", "ES256")
      .put("crv", "P-256").put("x", unsigned(ec.getW().getAffineX(), 32)).put("y", unsigned(ec.getW().getAffineY(), 32));
  }

  private static String unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    int size = Math.max(bytes.length - start, length);
    byte[] out = new byte[size];
    System.arraycopy(bytes, start, out, size - (bytes.length - start), bytes.length - start);
    return B64.encodeToString(out);
  }

  private void writeFile() {
    try {
      Path temp = Files.createTempFile(file.getParent(), "jwks", ".tmp");
      Files.writeString(temp, jwks().encode());
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (spec != null) {
        generator.initialize(spec);
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The issuer entry of auth.external-issuers, as JSON. */
  public JsonObject entry(String jwksKey, String jwksValue, List<String> tenants) {
    return new JsonObject().put("issuer", issuer).put(jwksKey, jwksValue).put("audience", "tenantry")
      .put("role-mapping", new JsonObject().put("idp-admins", "tenant_admin").put("idp-staff", "member")
        .put("idp-auditors", "read_only"))
      .put("tenants", new JsonArray(new ArrayList<>(tenants))).put("min-refetch-seconds", 1);
  }

  @Override
  public void close() {
    if (vertx != null) {
      Await.result(vertx.close(), 10);
    }
  }
}
