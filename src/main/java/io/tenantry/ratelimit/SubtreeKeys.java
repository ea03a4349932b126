package io.tenantry.ratelimit;

import java.util.UUID;

/**
 * Redis keys of a tenant under subtree budgets. They all carry the hash tag of the topmost tenant holding a budget
 * ({@link Subtree#group()}), which is the same for every tenant below it, so a lease touching the tenant's own bucket
 * and its ancestors' budgets is one script call in one Redis Cluster slot.
 */
final class SubtreeKeys {
  private SubtreeKeys() {
  }

  /** The tenant's own bucket: the usual key when it is the group's top, else one under the group's tag. */
  static String own(String prefix, UUID group, UUID tenantId) {
    String tagged = Bucket.tenantKey(prefix, group);
    return group.equals(tenantId) ? tagged : tagged + ":t:" + tenantId;
  }

  /** A subtree budget ({@code :s:<holder>}) or the cap of a branch ({@code :c:<child>}; a child has one parent). */
  static Bucket bucket(String prefix, UUID group, SubtreeLimit limit) {
    String tagged = Bucket.tenantKey(prefix, group);
    String key = limit.cap() ? tagged + ":c:" + limit.child() : tagged + ":s:" + limit.holder();
    return Bucket.of(key, limit.rate().rate(), limit.rate().burst());
  }
}
