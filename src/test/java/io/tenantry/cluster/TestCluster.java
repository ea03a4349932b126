package io.tenantry.cluster;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigLoader;
import io.tenantry.support.Await;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Nodes of one test cluster in this JVM sharing one fresh database: loopback only, a cluster name no other run
 * uses, ports of their own, and quick failure detection (heartbeat every second, a silent member is removed after
 * a few). Node i always gets the same ports, so a restarted node comes back where the member list expects it.
 */
final class TestCluster implements AutoCloseable {
  /** Seconds without heartbeat before a member is removed: short, but above a GC pause on a busy 2-core box. */
  static final int FAILURE_TIMEOUT_SECONDS = 5;

  private final Map<String, String> flags;
  private final List<Integer> httpPorts = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<TestNode> nodes = new ArrayList<>();
  final Vertx clients = Vertx.vertx();
  final String name = "tenantry-test-" + UUID.randomUUID().toString().substring(0, 8);

  private TestCluster(int size, Map<String, String> overrides) {
    for (int i = 0; i < size; i++) {
      httpPorts.add(TestServer.freePort());
      clusterPorts.add(TestServer.freePort());
      nodes.add(null);
    }
    Map<String, String> base = new HashMap<>();
    base.put("cluster.enabled", "true");
    base.put("cluster.name", name);
    base.put("cluster.host", "127.0.0.1");
    base.put("cluster.members", clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    base.put("cluster.failure-timeout-seconds", Integer.toString(FAILURE_TIMEOUT_SECONDS));
    base.put("cluster.join-wait-seconds", "1");
    base.putAll(overrides);
    this.flags = TestServer.flags(base);
  }

  /** Starts {@code size} nodes one after the other (the first creates the database). */
  static TestCluster of(int size) {
    return of(size, size, Map.of());
  }

  /**
   * A cluster with room for {@code size} nodes of which the first {@code started} are started here; the others
   * can be started later, in this JVM or as processes.
   */
  static TestCluster of(int size, int started, Map<String, String> overrides) {
    TestCluster cluster = new TestCluster(size, overrides);
    try {
      for (int i = 0; i < started; i++) {
        cluster.startNode(i);
      }
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Node i's configuration: the shared one with node i's ports. */
  Config config(int i) {
    return ConfigLoader.load(null, Map.of(), flags(i));
  }

  /** Node i's configuration as flags, for a node started as a separate process. */
  Map<String, String> flags(int i) {
    Map<String, String> own = new HashMap<>(flags);
    own.put("http.port", Integer.toString(httpPorts.get(i)));
    own.put("cluster.port", Integer.toString(clusterPorts.get(i)));
    return own;
  }

  TestNode startNode(int i) {
    TestNode node = TestNode.start(config(i), clients);
    nodes.set(i, node);
    return node;
  }

  TestNode node(int i) {
    return nodes.get(i);
  }

  /** Forgets node i after the test killed or stopped it. */
  void gone(int i) {
    nodes.set(i, null);
  }

  @Override
  public void close() {
    try {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        TestNode node = nodes.get(i);
        if (node != null) {
          node.stop();
          nodes.set(i, null);
        }
      }
    } finally {
      Await.result(clients.close(), 30);
      Config any = config(0);
      TestEnv.dropDatabase(any.dbName(), any.ownerRole(), any.appRole());
    }
  }
}
