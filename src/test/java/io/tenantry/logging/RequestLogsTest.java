package io.tenantry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON log lines of a request carry its request id, tenant and user (read back as JSON, as a log shipper
 * would), and the whole log of this class's run holds none of the secrets it used: passwords, access tokens,
 * API keys, the metrics scrape token.
 */
class RequestLogsTest {
  private static final String SCRAPE_TOKEN = "scrape-token-for-the-log-test-0123456789";
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static OutputStreamAppender<ILoggingEvent> appender;
  private static TestServer ts;
  private static final List<String> secrets = new ArrayList<>();

  @BeforeAll
  static void start() {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    JsonEncoder encoder = new LeanJsonEncoder();
    encoder.setContext(logging);
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(logging);
    appender.setEncoder(encoder);
    appender.setOutputStream(LOG);
    appender.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    logging.getLogger("io.tenantry.access").setLevel(Level.INFO);
    ts = TestServer.start(Map.of("http.access-log", "true", "metrics.scrape-token", SCRAPE_TOKEN,
      "db.connect-timeout-ms", "30000"));
    secrets.add(TestServer.ADMIN_PASSWORD);
    secrets.add(SCRAPE_TOKEN);
  }

  @AfterAll
  static void stop() {
    ts.close();
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    logging.getLogger("io.tenantry.access").setLevel(Level.WARN);
  }

  private static List<JsonObject> lines() {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : LOG.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  @Test
  void aRequestsLinesCarryItsRequestIdTenantAndUser() {
    String admin = ts.adminToken();
    secrets.add(admin);
    JsonObject tenant = ts.createTenant(admin, "logged");
    ts.addUser(admin, "logged", "member@logged.test", "member");
    secrets.add("password-of-member@logged.test");
    String member = ts.api.token("member@logged.test", "password-of-member@logged.test", "logged");
    secrets.add(member);
    HttpResponse<Buffer> created = ts.api.post("/api/v1/collections/notes/records", member,
      new JsonObject().put("data", new JsonObject().put("text", "hello")));
    assertThat(created.statusCode()).isEqualTo(201);
    String requestId = created.getHeader("X-Request-Id");

    // the encoder writes the MDC under "mdc"; read as written, whatever its JSON shape. The access line is written
    // when the response has ended on the server, which may be just after the client has read it.
    java.util.function.Supplier<List<String>> ofRequestNow = () -> lines().stream()
      .map(l -> String.valueOf(l.getValue("mdc"))).filter(mdc -> mdc.contains(requestId)).toList();
    io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(5), "the request's log lines",
      () -> !ofRequestNow.get().isEmpty());
    List<String> ofRequest = ofRequestNow.get();
    for (String mdc : ofRequest) {
      assertThat(mdc).contains("tenantId").contains(tenant.getString("id")).contains("userId");
    }
    // the access line says it once: the ids in the MDC, what was asked and answered as key-value pairs
    java.util.function.Supplier<java.util.Optional<JsonObject>> accessLine = () -> lines().stream()
      .filter(l -> "io.tenantry.access".equals(l.getString("loggerName")))
      .filter(l -> l.getValue("mdc") instanceof JsonObject mdc && requestId.equals(mdc.getString("requestId")))
      .findFirst();
    io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(5), "the request's access line",
      () -> accessLine.get().isPresent());
    JsonObject access = accessLine.get().orElseThrow();
    assertThat(access.getJsonObject("mdc").getString("tenantId")).isEqualTo(tenant.getString("id"));
    assertThat(access.getJsonObject("mdc").getString("userId")).isNotBlank();
    List<String> keys = access.getJsonArray("kvpList").stream()
      .map(pair -> ((JsonObject) pair).fieldNames().iterator().next()).toList();
    assertThat(keys).containsExactly("method", "path", "status", "durationMs");
    assertThat(access.getJsonArray("kvpList").getJsonObject(1).getString("path"))
      .isEqualTo("/api/v1/collections/notes/records");
    // lines outside any request carry no request's context
    assertThat(lines()).filteredOn(l -> l.getString("loggerName", "").equals("io.tenantry.server.TenantryServer"))
      .allMatch(l -> !String.valueOf(l.getValue("mdc")).contains("requestId"));
  }

  @Test
  void theLogHoldsNoSecret() {
    String admin = ts.adminToken();
    secrets.add(admin);
    HttpResponse<Buffer> key = ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "keyed").put("name", "Keyed"));
    assertThat(key.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants/keyed/api-keys", admin,
      new JsonObject().put("name", "ci").put("scopes", new io.vertx.core.json.JsonArray().add("records:read")));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    {
      String apiKey = created.bodyAsJsonObject().getString("secret");
      secrets.add(apiKey);
      ts.http.get("/api/v1/collections/notes/records").putHeader("Authorization", "ApiKey " + apiKey).send()
        .await();
    }
    // refused sign-ins and bad tokens are logged or audited: their secrets must not be
    ts.api.post("/auth/token", null, new JsonObject().put("email", TestServer.ADMIN_EMAIL).put("password", "wrong-" + TestServer.ADMIN_PASSWORD));
    secrets.add("wrong-" + TestServer.ADMIN_PASSWORD);
    ts.api.get("/metrics", SCRAPE_TOKEN);
    ts.api.get("/metrics", "not-" + SCRAPE_TOKEN);

    String log = LOG.toString(StandardCharsets.UTF_8);
    assertThat(log).isNotEmpty();
    for (String secret : secrets) {
      assertThat(log).as("the log holds a secret").doesNotContain(secret);
    }
  }
}
