package io.tenantry.cluster;

import io.tenantry.config.Config;
import io.tenantry.server.TenantryServer;
import io.tenantry.support.Api;
import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** One Tenantry node of a {@link TestCluster}: its own Vert.x and cluster member, a client that outlives it. */
final class TestNode {
  final Config config;
  final Node node;
  final TenantryServer server;
  final WebClient http;
  final Api api;
  private String operatorToken;

  private TestNode(Config config, Node node, TenantryServer server, WebClient http) {
    this.config = config;
    this.node = node;
    this.server = server;
    this.http = http;
    this.api = new Api(http);
  }

  static TestNode start(Config config, Vertx clientVertx) {
    Node node = Await.result(Node.start(config.cluster()), 60);
    try {
      TenantryServer server = Await.result(TenantryServer.start(node, config), 120);
      WebClient http = WebClient.create(clientVertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(config.httpPort()),
        new PoolOptions().setHttp1MaxSize(16));
      return new TestNode(config, node, server, http);
    } catch (RuntimeException | Error e) {
      Await.result(node.close(), 30);
      throw e;
    }
  }

  /** Its /health/ready "cluster" check (whatever the status code). */
  JsonObject clusterCheck() {
    if (operatorToken == null) {
      operatorToken = api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null); // only operators see the checks
    }
    HttpResponse<Buffer> ready = api.get("/health/ready", operatorToken);
    JsonArray checks = ready.bodyAsJsonObject().getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if ("cluster".equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i).put("http_status", ready.statusCode());
      }
    }
    throw new AssertionError("no cluster check in " + ready.bodyAsString());
  }

  int membersSeen() {
    return clusterCheck().getJsonObject("data").getInteger("members");
  }

  /**
   * The Hazelcast member dies without a goodbye (no graceful leave, no partition hand-over): the others learn it
   * only from dropped connections and missing heartbeats, as after a crash. HTTP keeps answering until {@link
   * #close()}, so the node's own view of having lost the cluster can be observed.
   */
  void loseCluster() {
    HazelcastClusterManager manager = (HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager();
    manager.getHazelcastInstance().getLifecycleService().terminate();
  }

  /** {@link #loseCluster()} and then the process is gone: Vert.x closed with its HTTP server and pools. */
  void kill() {
    loseCluster();
    close();
  }

  /** Graceful stop, as on SIGTERM. */
  void stop() {
    try {
      Await.result(server.stop(), 30);
    } finally {
      close();
    }
  }

  void close() {
    http.close();
    Await.result(node.close(), 30);
  }
}
