package io.tenantry.cluster;

/**
 * How many Tenantry nodes are serving right now, this one included: for work that shares something out among
 * nodes (the rate limiter's local fallback divides a tenant's limit by it). Always at least 1. Cheap: reads this
 * node's current view, never asks the network.
 */
@FunctionalInterface
public interface LiveNodes {
  int liveNodes();
}
