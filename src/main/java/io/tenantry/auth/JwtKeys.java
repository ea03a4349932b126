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
 */
public record JwtKeys(String privatePem, String publicPem) {
  private static final Logger LOG = LoggerFactory.getLogger(JwtKeys.class);

  public static JwtKeys load(Config config) {
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
