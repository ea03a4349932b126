package io.tenantry.ratelimit;

/**
 * How many requests a node leases from a bucket at once: {@code burst / (4 × nodes)}, at most
 * {@code ratelimit.lease-max}, at least 1. All nodes together then hold at most a quarter of the burst, which is
 * the most a tenant can exceed its limit by (see docs/rate-limits.md); a single node with the default plan makes
 * one Redis call per 20 requests.
 */
public final class LeaseSize {
  private LeaseSize() {
  }

  public static int of(int burst, int nodes, int leaseMax) {
    return Math.max(1, Math.min(leaseMax, burst / (4 * Math.max(1, nodes))));
  }
}
