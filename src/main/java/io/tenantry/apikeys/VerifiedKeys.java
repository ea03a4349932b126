package io.tenantry.apikeys;

import io.tenantry.auth.Caller;

import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API keys verified on this node, by key id: the hash of the secret to compare with, and the caller the key acts
 * as, until the key expires or {@code validUntil} (a safety net for a revocation notice lost in a cluster split).
 * Bounded: when full, stale entries go first, then arbitrary ones. Thread-safe; shared by all HTTP verticles.
 */
final class VerifiedKeys {
  record Entry(byte[] secretHash, Caller caller, long validUntilMillis) {
  }

  private final int maxEntries;
  private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();
  /** Bumped by every eviction; a load that raced with one is not cached. */
  private final AtomicLong generation = new AtomicLong();

  VerifiedKeys(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  Entry get(UUID id, long nowMillis) {
    Entry entry = entries.get(id);
    if (entry != null && nowMillis >= entry.validUntilMillis()) {
      entries.remove(id, entry);
      return null;
    }
    return entry;
  }

  long generation() {
    return generation.get();
  }

  /** Caches a key verified from the database, unless an eviction happened since {@code loadedAt} was read. */
  void put(UUID id, Entry entry, long loadedAt, long nowMillis) {
    if (entry.validUntilMillis() <= nowMillis || maxEntries == 0) {
      return;
    }
    if (entries.size() >= maxEntries) {
      makeRoom(nowMillis);
    }
    entries.put(id, entry);
    if (generation.get() != loadedAt) {
      entries.remove(id, entry);
    }
  }

  void evict(UUID id) {
    generation.incrementAndGet();
    entries.remove(id);
  }

  void evictAll() {
    generation.incrementAndGet();
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  private void makeRoom(long nowMillis) {
    entries.values().removeIf(e -> nowMillis >= e.validUntilMillis());
    Iterator<UUID> keys = entries.keySet().iterator();
    int excess = entries.size() - maxEntries * 9 / 10;
    while (excess-- > 0 && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
