package io.tenantry.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Membership as the Hazelcast member of this node sees it. Reading it never goes to the network (Hazelcast keeps
 * the member list locally), so health checks and the rate limiter may call it on an event loop.
 */
final class HazelcastMembership implements Membership, MembershipListener {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastMembership.class);

  private final HazelcastClusterManager manager;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  /** The last count seen while connected: a node that lost the cluster must not assume it is alone. */
  private final AtomicInteger lastLive = new AtomicInteger(1);

  private HazelcastMembership(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  /** The membership of a node that has joined: starts following Hazelcast's member and lifecycle events. */
  static HazelcastMembership of(HazelcastClusterManager manager) {
    HazelcastMembership membership = new HazelcastMembership(manager);
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    hazelcast.getCluster().addMembershipListener(membership);
    hazelcast.getLifecycleService().addLifecycleListener(membership::lifecycle);
    membership.lastLive.set(Math.max(1, membership.members().size()));
    return membership;
  }

  @Override
  public String nodeId() {
    return manager.getNodeId();
  }

  @Override
  public List<String> members() {
    if (!connected()) {
      return List.of();
    }
    try {
      return List.copyOf(manager.getNodes());
    } catch (RuntimeException e) { // the member shut down between the check and the read
      return List.of();
    }
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public boolean connected() {
    return manager.isActive() && manager.getHazelcastInstance().getLifecycleService().isRunning();
  }

  @Override
  public int liveNodes() {
    int seen = members().size();
    if (seen > 0) {
      lastLive.set(seen);
      return seen;
    }
    return lastLive.get();
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    changed("member joined: " + event.getMember().getAddress());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    changed("member left: " + event.getMember().getAddress());
  }

  private void lifecycle(LifecycleEvent event) {
    switch (event.getState()) {
      case MERGED -> changed("split cluster merged");
      case SHUTDOWN -> changed("left the cluster");
      default -> {
        // starting, shutting down, merging: the final state follows
      }
    }
  }

  private void changed(String what) {
    int seen = members().size();
    if (seen > 0) {
      lastLive.set(seen);
    }
    LOG.info("cluster membership changed ({}); {} member(s) seen", what, seen);
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("membership listener failed: {}", e.toString());
      }
    }
  }
}
