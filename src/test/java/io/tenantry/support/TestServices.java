package io.tenantry.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Where the tests' PostgreSQL and Redis come from, decided once per test run by TENANTRY_TEST_SERVICES:
 * <ul>
 *   <li>{@code local} — the configured services (TENANTRY_TEST_PG_HOST, ... or the machine's 127.0.0.1:5432 and
 *       :6379), as CI runs;</li>
 *   <li>{@code containers} — PostgreSQL 15 and Redis 7 started by Testcontainers (needs a Docker engine);</li>
 *   <li>{@code auto} (the default) — local when services are configured or the local ones answer, else containers
 *       when a Docker engine is there, else local (and the tests fail saying the services are missing).</li>
 * </ul>
 * Containers are started once and stopped by Testcontainers when the JVM exits.
 */
record TestServices(String pgHost, int pgPort, String redisUrl) {
  private static volatile TestServices current;

  static TestServices get() {
    TestServices s = current;
    if (s == null) {
      synchronized (TestServices.class) {
        if (current == null) {
          current = choose();
        }
        s = current;
      }
    }
    return s;
  }

  private static TestServices choose() {
    TestServices local = new TestServices(env("TENANTRY_TEST_PG_HOST", "127.0.0.1"),
      Integer.parseInt(env("TENANTRY_TEST_PG_PORT", "5432")), env("TENANTRY_TEST_REDIS_URL", "redis://127.0.0.1:6379"));
    String mode = env("TENANTRY_TEST_SERVICES", "auto");
    return switch (mode) {
      case "local" -> local;
      case "containers" -> containers();
      case "auto" -> configured() || answers(local.pgHost(), local.pgPort()) || !dockerAvailable() ? local : containers();
      default -> throw new IllegalStateException("TENANTRY_TEST_SERVICES must be local, containers or auto, got " + mode);
    };
  }

  private static boolean configured() {
    return System.getenv("TENANTRY_TEST_PG_HOST") != null || System.getenv("TENANTRY_TEST_REDIS_URL") != null;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
  private static TestServices containers() {
    PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:15")
      .withUsername("postgres").withPassword("postgres")
      .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust"); // the tests connect as their roles without passwords
    GenericContainer<?> redis = new GenericContainer<>("redis:7").withExposedPorts(6379);
    pg.start();
    redis.start();
    return new TestServices(pg.getHost(), pg.getMappedPort(5432),
      "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
