package io.tenantry.health;

import io.tenantry.cluster.Membership;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

/**
 * The "cluster" readiness check. Deliberately not vertx-hazelcast's ClusterHealthCheck: that one reports whether
 * Hazelcast's partitions are backed up ("cluster safe"), which is false for seconds after any member joins or
 * leaves — it would pull every node out of the load balancer whenever one node restarts. Nothing Tenantry keeps
 * in Hazelcast needs backups to serve requests; what matters is being a member that sees enough of the others.
 */
final class ClusterCheck {
  private ClusterCheck() {
  }

  static Status status(Membership membership, int minMembers) {
    JsonObject data = new JsonObject()
      .put("mode", membership.clustered() ? "clustered" : "standalone")
      .put("node_id", membership.nodeId());
    if (!membership.connected()) {
      return Status.KO(data.put("members", 0).put("error", "this node lost the cluster"));
    }
    var members = membership.members();
    data.put("members", members.size()).put("member_ids", new JsonArray(members));
    if (membership.clustered() && members.size() < minMembers) {
      return Status.KO(data.put("min_members", minMembers)
        .put("error", "sees " + members.size() + " member(s), needs " + minMembers));
    }
    return Status.OK(data);
  }
}
