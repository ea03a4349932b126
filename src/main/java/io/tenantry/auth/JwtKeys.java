package io.tenantry.auth;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The RS256 signing keys as PEM text. In prod they come from the configured files; in dev (and tests) they are
 * generated once and kept in the data directory. Blocking file I/O: call on a worker thread.
 *
 * <p>During a key rotation {@code secondPublicPem} is a second public key (empty otherwise): the key being
 * retired, or the coming one while the nodes learn it; tokens it signed are verified, none is signed with it. Each key's {@code kid} is its RFC 7638 thumbprint,
 * so every node derives the same id from the same key without configuring one.
 */
public record JwtKeys(String privatePem, String publicPem, String secondPublicPem) {
  private static final Logger LOG = LoggerFactory.getLogger(JwtKeys.class);

  /** Keys without a second one (no rotation under way). */
  public JwtKeys(String privatePem, String publicPem) {
    this(privatePem, publicPem, "");
  }

  public static JwtKeys load(Config config) {
    JwtKeys current = current(config);
    String secondFile = config.ops().jwtSecondPublicKeyFile();
    if (secondFile.isEmpty()) {
      LOG.info("JWT signing key kid {}, no second key", kidOrNone(current.publicPem()));
      return current;
    }
    String second = read("auth.jwt-second-public-key-file", secondFile);
    try {
      kid(second);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth.jwt-second-public-key-file", secondFile + " is not an RSA public key in "
        + "PEM (X.509 SubjectPublicKeyInfo, as 'openssl pkey -pubout' writes it)");
    }
    LOG.info("JWT signing key kid {}, second key kid {} (its tokens are accepted too)",
      kidOrNone(current.publicPem()), kid(second));
    return new JwtKeys(current.privatePem(), current.publicPem(), second);
  }

  /** For the start's log line: a bad current key is reported by the token verifier's own start. */
  private static String kidOrNone(String publicPem) {
    try {
      return kid(publicPem);
    } catch (IllegalArgumentException e) {
      return "(not an RSA public key)";
    }
  }

  /** The kid of the key that signs new tokens. */
  public String currentKid() {
    return kid(publicPem);
  }

  /**
   * The RFC 7638 JWK thumbprint of an RSA public key in PEM: base64url(SHA-256 of {"e","kty","n"} in that order,
   * no whitespace).
   *
   * @throws IllegalArgumentException when the text is not an RSA public key
   */
  public static String kid(String publicPem) {
    try {
      String body = publicPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory
        .getInstance("RSA").generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(body)));
      String jwk = "{\"e\":\"" + unsigned(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\""
        + unsigned(key.getModulus()) + "\"}";
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(jwk.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.spec.InvalidKeySpecException | ClassCastException e) {
      throw new IllegalArgumentException("not an RSA public key", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWK number: big-endian, without the sign byte BigInteger adds, base64url without padding. */
  private static String unsigned(java.math.BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static JwtKeys current(Config config) {
    if (!config.jwtPrivateKeyFile().isEmpty() || !config.jwtPublicKeyFile().isEmpty()) {
      return new JwtKeys(read("auth.jwt-private-key-file", config.jwtPrivateKeyFile()),
        read("auth.jwt-public-key-file", config.jwtPublicKeyFile()));
    }
    if (config.profile() == Config.Profile.PROD) {
      throw new ConfigException("auth.jwt-private-key-file", "the prod profile needs RS256 key files: make them with "
        + "'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-private.pem && openssl pkey -in "
        + "jwt-private.pem -pubout -out jwt-public.pem' and set TENANTRY_AUTH_JWT_PRIVATE_KEY_FILE and "
        + "TENANTRY_AUTH_JWT_PUBLIC_KEY_FILE; or try Tenantry with --profile dev");
    }
    return generatedIn(config.dataDir());
  }

  private static JwtKeys generatedIn(Path dataDir) {
    Path privateFile = dataDir.resolve("jwt-private.pem");
    Path publicFile = dataDir.resolve("jwt-public.pem");
    try {
      if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
        Files.createDirectories(dataDir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        writePrivate(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        LOG.info("generated development JWT signing keys in {}", dataDir);
      }
      return new JwtKeys(Files.readString(privateFile), Files.readString(publicFile));
    } catch (IOException e) {
      throw new ConfigException("data-dir", "cannot keep JWT keys in " + dataDir + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writePrivate(Path file, String pem) throws IOException {
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system; the directory's own permissions have to do.
    }
  }

  private static String read(String key, String file) {
    if (file.isEmpty()) {
      throw new ConfigException(key, "is required when the other JWT key file is set");
    }
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file);
    }
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
