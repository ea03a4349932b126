package io.tenantry.ratelimit;

/**
 * How many nodes currently share the limits. Only consulted while Redis is unavailable, when each node enforces
 * limit / live nodes on its own. Unclustered it is the configured {@code ratelimit.nodes}; a clustered node can
 * supply its cluster's member count instead.
 */
@FunctionalInterface
public interface LiveNodes {
  int count();

  static LiveNodes fixed(int nodes) {
    return () -> nodes;
  }
}
