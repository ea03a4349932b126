package io.tenantry.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of docker/ without a Docker engine (none on these machines; docs/operations/docker.md says
 * what was not run): HAProxy's own check of haproxy.cfg, and the structure of compose.yaml, the Dockerfile, the
 * Prometheus configuration and the Grafana dashboard.
 */
class DockerFilesTest {
  private static final Path DOCKER = Path.of("docker");
  private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void haproxyAcceptsItsConfiguration() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(HAPROXY), "needs Debian's haproxy (.ci/run installs it)");
    Process p = new ProcessBuilder(HAPROXY.toString(), "-c", "-f", DOCKER.resolve("haproxy.cfg").toString())
      .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("Configuration file is valid");
  }

  @Test
  void haproxyBalancesOnReadiness() throws IOException {
    String cfg = Files.readString(DOCKER.resolve("haproxy.cfg"));
    assertThat(cfg).contains("uri /health/ready").contains("expect status 200");
    assertThat(cfg.lines().filter(l -> l.trim().startsWith("server node")).count()).isEqualTo(3);
  }

  @Test
  void composeHasTheServicesPortsAndHealthchecks() throws IOException {
    JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
    JsonNode services = compose.get("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).contains("postgres", "redis", "node1", "node2", "node3", "haproxy", "prometheus", "gatling");
    assertThat(services.at("/postgres/image").asText()).isEqualTo("postgres:15");
    assertThat(services.at("/redis/image").asText()).isEqualTo("redis:7");
    for (String node : List.of("node1", "node2", "node3")) {
      JsonNode n = services.get(node);
      JsonNode env = n.get("environment");
      assertThat(env.at("/TENANTRY_CLUSTER").asText()).isEqualTo("true");
      assertThat(env.at("/TENANTRY_CLUSTER_MEMBERS").asText()).isEqualTo("node1,node2,node3");
      assertThat(env.at("/TENANTRY_CLUSTER_HOST").asText()).isEqualTo(node);
      assertThat(env.at("/TENANTRY_DB_HOST").asText()).isEqualTo("postgres");
      assertThat(n.at("/healthcheck/test").toString()).contains("/health/live");
      assertThat(n.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
    }
    for (String withHealth : List.of("postgres", "redis", "haproxy", "prometheus")) {
      assertThat(services.get(withHealth).has("healthcheck")).as(withHealth).isTrue();
    }
    assertThat(services.at("/haproxy/ports").toString()).contains("8080:8080");
    assertThat(services.at("/gatling/profiles").toString()).contains("load");
    assertThat(services.at("/gatling/command").toString()).contains("gatling:test");
  }

  @Test
  void prometheusScrapesEveryNodeWithTheToken() throws IOException {
    JsonNode prometheus = YAML.readTree(DOCKER.resolve("prometheus.yml").toFile());
    JsonNode job = prometheus.get("scrape_configs").get(0);
    assertThat(job.get("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(job.at("/authorization/type").asText()).isEqualTo("Bearer");
    assertThat(job.at("/static_configs/0/targets").toString()).contains("node1:8080", "node2:8080", "node3:8080");
  }

  @Test
  void dockerfileBuildsWithMavenAndRunsAsNonRootWithAHealthcheck() throws IOException {
    String file = Files.readString(DOCKER.resolve("Dockerfile"));
    assertThat(file).containsPattern("FROM maven:[^\\s]+ AS build").contains("FROM eclipse-temurin:17-jre");
    assertThat(file).containsPattern("(?m)^USER tenantry$").containsPattern("HEALTHCHECK[^\\n]*\\n[^\\n]*/health/live");
  }

  @Test
  void theDashboardIsGrafanaJsonOverTenantryMetrics() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana/tenantry-dashboard.json").toFile());
    assertThat(dashboard.get("uid").asText()).isEqualTo("tenantry");
    assertThat(dashboard.get("panels").size()).isGreaterThan(10);
    assertThat(dashboard.toString()).contains("vertx_http_server_requests_total", "tenantry_pool_in_flight",
      "tenantry_ratelimit_decisions_total", "tenantry_event_loop_lag_seconds_bucket");
  }
}
