package io.tenantry.cluster;

import java.util.List;

/** This node's view of the cluster: who it is, whom it sees, and whether it is still part of a cluster. */
public interface Membership extends LiveNodes {

  /** This node's id (the Vert.x cluster node id when clustered). */
  String nodeId();

  /** The node ids this node sees, itself included; empty when it lost the cluster. */
  List<String> members();

  boolean clustered();

  /** False when this node was clustered and is no longer part of a cluster (its Hazelcast member is gone). */
  boolean connected();

  /**
   * Runs {@code listener} after members joined or left, or a split cluster merged again: notices sent while the
   * view changed may have been lost. Called on a cluster-manager thread: the listener must be quick and
   * thread-safe.
   */
  void onChange(Runnable listener);
}
