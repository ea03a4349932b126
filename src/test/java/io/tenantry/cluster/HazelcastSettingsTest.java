package io.tenantry.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.tenantry.config.ClusterSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HazelcastSettingsTest {

  private static ClusterSettings settings(boolean multicast) {
    return new ClusterSettings(true, "prod-eu", "10.0.0.11", 5801, List.of("10.0.0.11:5801", "10.0.0.12"),
      multicast, 0, 2, 30, 5);
  }

  @Test
  void tcpIpMemberListOnOneInterfaceWithoutMulticast() {
    Config config = HazelcastSettings.from(settings(false));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(config.getClusterName()).isEqualTo("prod-eu");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.11:5801", "10.0.0.12");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.11");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("30");
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("6");
  }

  @Test
  void keepsTheMapsVertxConfigures() {
    Config config = HazelcastSettings.from(settings(false));
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
    assertThat(config.getMapConfigs()).containsKey("__vertx.nodeInfo");
  }

  @Test
  void multicastReplacesTheMemberList() {
    JoinConfig join = HazelcastSettings.from(settings(true)).getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
  }
}
