package io.tenantry.http;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.UUID;

/**
 * Time-ordered UUIDv7 ids (RFC 9562): new rows sort after old ones, so id order is a stable list order. Within one
 * millisecond the 12 bits after the timestamp count up (RFC 9562, 6.2 method 1) instead of being random, so ids made
 * by this process are strictly increasing even when several are made in the same millisecond; a counter that runs
 * out borrows the next millisecond (the RFC allows the clock to run ahead for the sake of monotonicity).
 */
public final class Uuids {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The last id's 48-bit timestamp and 12-bit counter, as one number. */
  private static final AtomicLong LAST = new AtomicLong();

  private Uuids() {
  }

  public static UUID v7() {
    long now = System.currentTimeMillis() << 12;
    long stamp = LAST.updateAndGet(last -> Math.max(now, last + 1));
    long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0xFFFL);
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
