package io.tenantry.config;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad or missing configuration: one line naming the key on stderr, exit code 2, no stack trace. */
class CommandLineTest {

  private record Outcome(int exitCode, String stderr, String stdout) {
  }

  private static Outcome run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), "io.tenantry.Main"));
    command.addAll(List.of(args));
    Path dir = Files.createTempDirectory("tenantry-cli");
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
      .redirectOutput(out.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("TENANTRY_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Outcome(process.exitValue(), stderr, Files.readString(out));
  }

  private static void assertConfigError(Outcome outcome, String key) {
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr().strip().lines().count()).as(outcome.stderr()).isEqualTo(1);
    assertThat(outcome.stderr()).contains(key).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aBadPortFlagNamesTheKey() throws Exception {
    assertConfigError(run(Map.of(), "serve", "--http.port=eighty"), "http.port");
  }

  @Test
  void aBadEnvironmentVariableNamesTheKeyAndTheVariable() throws Exception {
    Outcome outcome = run(Map.of("TENANTRY_DB_NAME", "Bad-Name"), "serve");
    assertConfigError(outcome, "db.name");
    assertThat(outcome.stderr()).contains("TENANTRY_DB_NAME");
  }

  @Test
  void anUnknownKeyIsRefused() throws Exception {
    assertConfigError(run(Map.of(), "serve", "--http.prot=8080"), "http.prot");
  }

  @Test
  void anUnreadableConfigFileIsRefused() throws Exception {
    assertConfigError(run(Map.of(), "serve", "--config", File.separator + "no" + File.separator + "such.yaml"), "config");
  }

  @Test
  void anUnreachableAdminConnectionNamesTheKey() throws Exception {
    assertConfigError(run(Map.of("TENANTRY_DB_ADMIN_URL", "postgresql://postgres@127.0.0.1:1/postgres",
      "TENANTRY_DB_NAME", "tenantry_cli_unreachable"), "migrate"), "db.admin-url");
  }

  @Test
  void migrateCreatesTheDatabaseAndStatusListsTenants() throws Exception {
    Config config = io.tenantry.support.TestServer.config(Map.of());
    Map<String, String> env = Map.of("TENANTRY_DB_NAME", config.dbName(),
      "TENANTRY_DB_ADMIN_URL", io.tenantry.support.TestEnv.adminUrl());
    try {
      Outcome migrate = run(env, "migrate");
      assertThat(migrate.exitCode()).as(migrate.stderr()).isZero();
      ProcessBuilder status = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.tenantry.Main", "migrate", "--status")
        .directory(Files.createTempDirectory("tenantry-cli").toFile());
      status.environment().putAll(env);
      Process process = status.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(out).contains("TENANT").contains("VERSION").contains("LAST ERROR");
    } finally {
      io.tenantry.support.TestEnv.dropDatabase(config.dbName(), config.ownerRole(), config.appRole());
    }
  }

  @Test
  void theClusterFlagIsAcceptedAndItsSettingsChecked() throws Exception {
    Outcome outcome = run(Map.of("TENANTRY_CLUSTER_MEMBERS", "10.0.0.1;10.0.0.2"), "serve", "--cluster");
    assertConfigError(outcome, "cluster.members");
    assertThat(outcome.stderr()).contains("TENANTRY_CLUSTER_MEMBERS");
  }

  @Test
  void anUnknownCommandIsAUsageError() throws Exception {
    Outcome outcome = run(Map.of(), "launch");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("unknown command: launch").contains("usage:");
  }

  @Test
  void helpPrintsTheUsageAndSucceeds() throws Exception {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"help"},
        new String[] {"serve", "--help"}, new String[] {"migrate", "--help"})) {
      Outcome outcome = run(Map.of(), args);
      assertThat(outcome.exitCode()).as("exit code of %s", List.of(args)).isZero();
      assertThat(outcome.stdout()).as("output of %s", List.of(args)).contains("usage:").contains("serve")
        .contains("migrate").contains("--profile dev");
      assertThat(outcome.stderr()).isEmpty();
    }
  }

  @Test
  void prodWithoutJwtKeysRefusesBeforeCreatingTheDatabase() throws Exception {
    String db = "tenantry_cli_" + Long.toHexString(System.nanoTime());
    try {
      Outcome outcome = run(Map.of("TENANTRY_DB_NAME", db, "TENANTRY_DB_ADMIN_URL", io.tenantry.support.TestEnv.adminUrl(),
        "TENANTRY_ADMIN_EMAIL", "root@example.com", "TENANTRY_ADMIN_PASSWORD", "long-enough-password"), "serve");
      assertConfigError(outcome, "auth.jwt-private-key-file");
      assertThat(outcome.stderr()).contains("openssl genpkey").contains("--profile dev");
      assertThat(createdFor(db)).as("database and roles of %s after a refused start", db).isFalse();
    } finally {
      io.tenantry.support.TestEnv.dropDatabase(db, db + "_owner", db + "_app");
    }
  }

  @Test
  void prodWithoutAdminAccountRefusesBeforeCreatingTheDatabase() throws Exception {
    String db = "tenantry_cli_" + Long.toHexString(System.nanoTime());
    Path keys = Files.createTempDirectory("tenantry-keys");
    Map<String, String> devKeys = Map.of("TENANTRY_PROFILE", "dev", "TENANTRY_DATA_DIR", keys.toString());
    io.tenantry.auth.JwtKeys.load(ConfigLoader.load(null, devKeys, Map.of()));
    try {
      Outcome outcome = run(Map.of("TENANTRY_DB_NAME", db, "TENANTRY_DB_ADMIN_URL", io.tenantry.support.TestEnv.adminUrl(),
        "TENANTRY_AUTH_JWT_PRIVATE_KEY_FILE", keys.resolve("jwt-private.pem").toString(),
        "TENANTRY_AUTH_JWT_PUBLIC_KEY_FILE", keys.resolve("jwt-public.pem").toString()), "serve");
      assertConfigError(outcome, "admin.email");
      assertThat(outcome.stderr()).contains("TENANTRY_ADMIN_PASSWORD").contains("--profile dev");
      assertThat(createdFor(db)).as("database and roles of %s after a refused start", db).isFalse();
    } finally {
      io.tenantry.support.TestEnv.dropDatabase(db, db + "_owner", db + "_app");
    }
  }

  private static boolean createdFor(String db) throws Exception {
    try (var c = io.tenantry.support.TestEnv.connect("postgres", io.tenantry.support.TestEnv.adminUser());
         var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ? "
           + "UNION ALL SELECT 1 FROM pg_roles WHERE rolname IN (? || '_owner', ? || '_app')")) {
      ps.setString(1, db);
      ps.setString(2, db);
      ps.setString(3, db);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
