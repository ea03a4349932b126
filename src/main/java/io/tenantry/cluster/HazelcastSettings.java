package io.tenantry.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.tenantry.config.ClusterSettings;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * Turns the cluster.* keys into a Hazelcast configuration. It starts from vertx-hazelcast's own configuration
 * ({@link ConfigUtil#loadConfig()}) so the maps Vert.x needs keep their settings, then pins the network: one
 * address to bind and announce (so a loopback test cluster never touches another interface), the TCP-IP member
 * list or multicast, and failure detection.
 */
public final class HazelcastSettings {
  /** Ports tried after cluster.port when it is taken, so several nodes can share one machine with one setting. */
  static final int PORT_COUNT = 10;

  private HazelcastSettings() {
  }

  public static Config from(ClusterSettings cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    // Hazelcast's own phone-home call would leave the machine; nothing here needs it.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds",
      Integer.toString(Math.max(1, cluster.failureTimeoutSeconds() / 5)));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.failureTimeoutSeconds()));
    config.setProperty("hazelcast.wait.seconds.before.join", Integer.toString(cluster.joinWaitSeconds()));
    // After a split, look for the other half every 30 s instead of Hazelcast's 300 s then 120 s: until the halves
    // merge, invalidations do not cross and the tenant caches lean on their TTL.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "30");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "30");
    // Through SLF4J, so Hazelcast's lines are JSON like the rest of the log (and follow its levels).
    config.setProperty("hazelcast.logging.type", "slf4j");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    network.getInterfaces().clear().setEnabled(true).addInterface(cluster.host());

    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(cluster.multicast());
    join.getTcpIpConfig().setEnabled(!cluster.multicast()).setMembers(cluster.members());
    return config;
  }
}
