package io.tenantry.ratelimit;

/**
 * The answer of one bucket to an {@link Ask}. {@code offset} is how far the bucket's theoretical arrival time lies
 * ahead of now after the grant (0 = full bucket, capacity = empty), in µs; {@code waitMicros} is, for the bucket that
 * refused, how long until {@code need} would be granted, in µs (0 otherwise).
 */
public record Grant(int granted, long offset, long waitMicros) {
  public boolean refused() {
    return waitMicros > 0;
  }
}
