package io.tenantry.ratelimit;

/**
 * The generic cell rate algorithm over one bucket, on a caller-supplied clock in µs: the Java twin of
 * {@code ratelimit/lease.lua}, used for local enforcement while Redis is down and by tests. Not thread-safe.
 *
 * <p>The state is one number, the theoretical arrival time (TAT). Taking {@code n} moves it {@code n × interval}
 * later; a bucket is full when the TAT is not ahead of now, and it refuses what would put the TAT more than
 * {@code capacity} ahead. So it admits {@code burst} at once and then {@code rate} per second.
 */
public final class Gcra {
  private final Bucket bucket;
  private long tat;

  public Gcra(Bucket bucket) {
    this.bucket = bucket;
  }

  public Bucket bucket() {
    return bucket;
  }

  /** Takes between {@code need} and {@code want} (as many as are free), or nothing. */
  public Grant take(long now, int want, int need) {
    long base = Math.max(tat, now);
    long offset = base - now;
    long free = Math.floorDiv(bucket.capacity() - offset, bucket.interval());
    if (free < need) {
      return new Grant(0, offset, offset + need * bucket.interval() - bucket.capacity());
    }
    int granted = (int) Math.min(want, free);
    tat = base + granted * bucket.interval();
    return new Grant(granted, tat - now, 0);
  }

  /** Returns {@code count} unspent requests; a bucket never holds more than its burst. */
  public void giveBack(long now, int count) {
    tat = Math.max(now, tat - count * bucket.interval());
  }

  /** How far the TAT lies ahead of now (0 = full). */
  public long offset(long now) {
    return Math.max(0, tat - now);
  }
}
