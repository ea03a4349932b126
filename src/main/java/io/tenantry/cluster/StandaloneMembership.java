package io.tenantry.cluster;

import java.util.List;
import java.util.UUID;

/** A node that runs alone: one live node, always "connected", never changes. */
final class StandaloneMembership implements Membership {
  private final String nodeId = UUID.randomUUID().toString();

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public List<String> members() {
    return List.of(nodeId);
  }

  @Override
  public boolean clustered() {
    return false;
  }

  @Override
  public boolean connected() {
    return true;
  }

  @Override
  public int liveNodes() {
    return 1;
  }

  @Override
  public void onChange(Runnable listener) {
    // Nothing ever joins or leaves.
  }
}
