package io.tenantry.cluster;

import io.tenantry.config.ClusterSettings;
import io.tenantry.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Vert.x instance of this process and its place in the cluster: standalone, or a member of a Hazelcast
 * cluster (clustered event bus, membership). Whoever starts a node closes it, after the server on it.
 */
public final class Node {
  private final Vertx vertx;
  private final Membership membership;
  private final NodeMetrics metrics;

  private Node(Vertx vertx, Membership membership, NodeMetrics metrics) {
    this.vertx = vertx;
    this.membership = membership;
    this.metrics = metrics;
  }

  /** A clustered node when cluster.enabled, else a standalone one; either measured into its own registry. */
  public static Future<Node> start(ClusterSettings cluster) {
    return cluster.enabled() ? clustered(cluster) : Future.succeededFuture(standalone());
  }

  /** A standalone node on a Vert.x of its own, measured (HTTP, pools, JVM) into its registry. */
  public static Node standalone() {
    NodeMetrics metrics = NodeMetrics.create();
    return new Node(metrics.standaloneVertx(), new StandaloneMembership(), metrics);
  }

  /** A standalone node on someone else's Vert.x: only the platform's own meters (Vert.x was built without). */
  public static Node standalone(Vertx vertx) {
    return new Node(vertx, new StandaloneMembership(), NodeMetrics.detached());
  }

  /** Joins (or forms) the cluster; completes once this node is a member and its event bus is up. */
  public static Future<Node> clustered(ClusterSettings cluster) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.from(cluster));
    VertxOptions options = new VertxOptions();
    // Other nodes reach this one's event bus at the address it announces to Hazelcast, never a guessed interface.
    options.getEventBusOptions().setHost(cluster.host()).setPort(cluster.eventBusPort());
    NodeMetrics metrics = NodeMetrics.create();
    return metrics.vertx(options).withClusterManager(manager).buildClustered()
      .map(vertx -> new Node(vertx, HazelcastMembership.of(manager), metrics));
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public Membership membership() {
    return membership;
  }

  public LiveNodes liveNodes() {
    return membership;
  }

  /** Closes Vert.x; a clustered node leaves the cluster (the others see it go at once). */
  public Future<Void> close() {
    return vertx.close();
  }
}
