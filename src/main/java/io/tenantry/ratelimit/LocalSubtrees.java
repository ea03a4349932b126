package io.tenantry.ratelimit;

import java.util.HashMap;
import java.util.Map;

/**
 * This node's share of every subtree budget and branch cap while Redis is unavailable (budget / live nodes, as for a
 * tenant's own), one GCRA per bucket shared by all the tenants of the subtree on this node. Only budgets someone
 * drew from while degraded are held.
 */
final class LocalSubtrees {
  /** Which of the buckets refused, and in how many µs the cost would pass. */
  record Refusal(int index, long waitMicros) {
  }

  private final Map<String, Gcra> buckets = new HashMap<>();

  /** Takes {@code cost} from each lease's bucket, all or nothing. Null when all admitted. */
  synchronized Refusal take(Lease[] leases, int cost, long nowMicros, int nodes) {
    for (int i = 0; i < leases.length; i++) {
      Gcra gcra = share(leases[i].bucket(), nodes);
      Grant grant = gcra.take(nowMicros, cost, cost);
      if (grant.refused()) {
        for (int j = 0; j < i; j++) {
          share(leases[j].bucket(), nodes).giveBack(nowMicros, cost);
        }
        return new Refusal(i, grant.waitMicros());
      }
    }
    return null;
  }

  private Gcra share(Bucket bucket, int nodes) {
    Bucket share = bucket.share(nodes);
    Gcra gcra = buckets.get(bucket.key());
    if (gcra == null || !gcra.bucket().equals(share)) {
      gcra = new Gcra(share);
      buckets.put(bucket.key(), gcra);
    }
    return gcra;
  }
}
