package io.tenantry.ratelimit;

/**
 * This node's lease on one bucket: requests taken from the global budget in Redis and not spent yet, and what
 * Redis last said about the bucket, so that most requests are decided here without a Redis call. Requests held
 * here were already taken from the global budget, so spending them never overshoots it. Guarded by the owning
 * {@link TenantBudget}; times are on the node's monotonic clock in ns, bucket offsets in µs.
 */
final class Lease {
  private final Bucket bucket;
  private int held;
  /** The bucket's TAT minus now, as Redis reported it at {@link #reportedAt}. */
  private long offset;
  private long reportedAt;
  /** Redis refused {@link #refusedNeed} requests: nothing that large is free before {@link #refusedUntil}. */
  private boolean refused;
  private long refusedUntil;
  private int refusedNeed;
  private long usedAt;

  Lease(Bucket bucket, long now) {
    this.bucket = bucket;
    this.reportedAt = now;
    this.usedAt = now;
  }

  Bucket bucket() {
    return bucket;
  }

  int held() {
    return held;
  }

  boolean covers(int cost) {
    return held >= cost;
  }

  void spend(int cost, long now) {
    held -= cost;
    usedAt = now;
  }

  /** Redis refused a lease this large a moment ago: refusing locally costs nothing and changes nothing. */
  boolean refusing(int need, long now) {
    return refused && need >= refusedNeed && refusedUntil - now > 0;
  }

  void apply(Grant grant, int need, long now) {
    offset = grant.offset();
    reportedAt = now;
    usedAt = now;
    if (grant.refused()) {
      refused = true;
      refusedUntil = now + grant.waitMicros() * 1000;
      refusedNeed = need;
    } else if (grant.granted() > 0) {
      held += grant.granted();
      refused = false;
    }
  }

  /**
   * Not spent from (nor refilled) for {@code ttlNanos}: this node's traffic for the bucket has stopped, so the
   * unspent part goes back. A lease in steady use is kept however long it lasts — a quiet tenant's lease outlasting
   * the TTL would otherwise be given back mostly unspent and leased again, two Redis calls for a few requests.
   * Returns the count taken away, or 0.
   */
  int expire(long now, long ttlNanos) {
    if (held == 0 || now - usedAt < ttlNanos) {
      return 0;
    }
    int count = held;
    held = 0;
    return count;
  }

  boolean idle(long now, long idleNanos) {
    return held == 0 && now - usedAt > idleNanos && !(refused && refusedUntil - now > 0);
  }

  /**
   * The part of the bucket in use as this node sees it, in µs: Redis's offset aged by the time since, less what
   * this node holds unspent. Exact with one node; with several, other nodes' use since the last report is unseen.
   */
  private long debt(long now) {
    long aged = Math.max(0, offset - (now - reportedAt) / 1000);
    return Math.max(0, aged - held * bucket.interval());
  }

  int remaining(long now) {
    return (int) Math.max(0, Math.min(bucket.burst(), (bucket.capacity() - debt(now)) / bucket.interval()));
  }

  long resetSeconds(long now) {
    return ceilDiv(debt(now), Bucket.MICROS_PER_SECOND);
  }

  long retryAfterSeconds(long now) {
    return Math.max(1, ceilDiv(refusedUntil - now, 1_000_000_000L));
  }

  private static long ceilDiv(long value, long unit) {
    return value <= 0 ? 0 : (value + unit - 1) / unit;
  }
}
