package io.tenantry.health;

import io.tenantry.cluster.Membership;
import io.vertx.ext.healthchecks.Status;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterCheckTest {

  private record View(boolean clustered, boolean connected, List<String> members) implements Membership {
    @Override
    public String nodeId() {
      return "n1";
    }

    @Override
    public int liveNodes() {
      return Math.max(1, members.size());
    }

    @Override
    public void onChange(Runnable listener) {
    }
  }

  @Test
  void aStandaloneNodeIsReadyAlone() {
    Status status = ClusterCheck.status(new View(false, true, List.of("n1")), 1);
    assertThat(status.isOk()).isTrue();
    assertThat(status.getData().getString("mode")).isEqualTo("standalone");
    assertThat(status.getData().getInteger("members")).isEqualTo(1);
  }

  @Test
  void aClusteredNodeSeeingEnoughMembersIsReady() {
    Status status = ClusterCheck.status(new View(true, true, List.of("n1", "n2")), 2);
    assertThat(status.isOk()).isTrue();
    assertThat(status.getData().getString("node_id")).isEqualTo("n1");
    assertThat(status.getData().getJsonArray("member_ids").getList()).containsExactly("n1", "n2");
  }

  @Test
  void aNodeCutOffFromTheMajorityIsNotReady() {
    Status status = ClusterCheck.status(new View(true, true, List.of("n1")), 2);
    assertThat(status.isOk()).isFalse();
    assertThat(status.getData().getString("error")).contains("needs 2");
  }

  @Test
  void aNodeThatLostTheClusterIsNotReady() {
    Status status = ClusterCheck.status(new View(true, false, List.of()), 1);
    assertThat(status.isOk()).isFalse();
    assertThat(status.getData().getString("error")).contains("lost the cluster");
  }
}
