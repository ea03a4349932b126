package io.tenantry.baseline;

import io.tenantry.config.Config;
import io.tenantry.support.Api;
import io.tenantry.support.Await;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overhead benchmark's yardsticks serve what the benchmark asks of them: the plain baseline its own table, the
 * shared-table baseline the multi-tenant server's shared.records — each tenant's rows and only those, since the
 * database's row-level security still applies to it (the tenant comes from the token, nothing else).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaselineServerTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private TestServer mt;
  private Vertx vertx;
  private String tokenA;
  private String tokenB;
  private String recordOfA;

  @BeforeAll
  void start() {
    mt = TestServer.start();
    String admin = mt.adminToken();
    tokenA = mt.tenantWithUser(admin, "base-a", "member");
    tokenB = mt.tenantWithUser(admin, "base-b", "member");
    HttpResponse<Buffer> created = mt.api.post(NOTES, tokenA, new JsonObject().put("title", "of a"));
    assertThat(created.statusCode()).isEqualTo(201);
    recordOfA = created.bodyAsJsonObject().getString("id");
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    Await.result(vertx.close(), 30);
    mt.close();
  }

  @Test
  void theSharedTableBaselineServesEachTenantItsOwnRecordsOnly() {
    Config config = mt.peerConfig(Map.of());
    BaselineServer server = Await.result(BaselineServer.start(vertx, config, true), 60);
    WebClient client = client(config);
    try {
      Api api = new Api(client);
      HttpResponse<Buffer> own = api.get(NOTES + "/" + recordOfA, tokenA);
      assertThat(own.statusCode()).isEqualTo(200);
      assertThat(own.bodyAsJsonObject().getJsonObject("data").getString("title")).isEqualTo("of a");
      assertThat(api.get(NOTES + "/" + recordOfA, tokenB).statusCode()).isEqualTo(404);
      assertThat(api.get(NOTES, tokenB).bodyAsJsonObject().getJsonArray("items")).isEmpty();

      HttpResponse<Buffer> created = api.post(NOTES, tokenB, new JsonObject().put("title", "of b"));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String recordOfB = created.bodyAsJsonObject().getString("id");
      // written as tenant B's row of shared.records: the multi-tenant server shows it to B, not to A
      assertThat(mt.api.get(NOTES + "/" + recordOfB, tokenB).statusCode()).isEqualTo(200);
      assertThat(mt.api.get(NOTES + "/" + recordOfB, tokenA).statusCode()).isEqualTo(404);

      HttpResponse<Buffer> noTenant = api.get(NOTES + "/" + recordOfA, mt.adminToken());
      assertThat(noTenant.statusCode()).isEqualTo(400);
      assertThat(noTenant.getHeader("Content-Type")).isEqualTo("application/problem+json");
    } finally {
      client.close();
      Await.result(server.stop(), 30);
    }
  }

  @Test
  void thePlainBaselineServesItsOwnTable() {
    // its own database, the deployment's JWT keys (same data directory), so the tenants' tokens verify
    Config own = TestServer.config(Map.of("data-dir", mt.config.dataDir().toString()));
    BaselineServer server = Await.result(BaselineServer.start(vertx, own, false), 60);
    WebClient client = client(own);
    try {
      Api api = new Api(client);
      assertThat(api.get(NOTES + "/" + recordOfA, tokenA).statusCode()).isEqualTo(404); // not copied here
      HttpResponse<Buffer> created = api.post(NOTES, tokenA, new JsonObject().put("title", "plain"));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      String id = created.bodyAsJsonObject().getString("id");
      assertThat(api.get(NOTES + "/" + id, tokenB).bodyAsJsonObject().getJsonObject("data").getString("title"))
        .isEqualTo("plain"); // one table, no tenants: that is what it measures against
      assertThat(api.get(NOTES, tokenA).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    } finally {
      client.close();
      Await.result(server.stop(), 30);
      TestEnv.dropDatabase(own.dbName(), own.ownerRole(), own.appRole());
    }
  }

  private WebClient client(Config config) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(config.httpPort()));
  }
}
