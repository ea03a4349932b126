package io.tenantry.tenant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Values derived from a tenant's schema name (the schema-qualified statement texts of a store), made once and kept
 * for the schemas in use, not for every schema ever seen: past {@code max} entries, a trim drops each entry not
 * read since the previous trim (second chance), so deleted, archived and quiet schema-tier tenants leave the memo
 * while the shared schema, read by every shared-tier request, stays. A value dropped and needed again is simply
 * derived again. A hit is one map read and, at most, one plain write of the entry's flag.
 */
public final class SchemaMemo<V> {
  /** Enough for the schema tenants active between two trims on one node; a miss costs a few string concatenations. */
  public static final int DEFAULT_MAX = 1024;

  private static final class Held<V> {
    final V value;
    /** Read since the last trim; a benign race: a lost write only costs a re-derivation. */
    boolean used = true;

    Held(V value) {
      this.value = value;
    }
  }

  private final Function<String, V> derive;
  private final int max;
  private final Map<String, Held<V>> bySchema = new ConcurrentHashMap<>();
  /** Set while a trim runs; package-private so a test can stand for a trim in progress on another thread. */
  final AtomicBoolean trimming = new AtomicBoolean();

  public SchemaMemo(Function<String, V> derive) {
    this(derive, DEFAULT_MAX);
  }

  public SchemaMemo(Function<String, V> derive, int max) {
    this.derive = derive;
    this.max = max;
  }

  public V of(String schema) {
    Held<V> held = bySchema.get(schema);
    if (held != null) {
      if (!held.used) {
        held.used = true;
      }
      return held.value;
    }
    V value = bySchema.computeIfAbsent(schema, s -> new Held<>(derive.apply(s))).value;
    if (bySchema.size() > max) {
      trim();
    }
    return value;
  }

  /** Entries held now. */
  public int size() {
    return bySchema.size();
  }

  private void trim() {
    if (!trimming.compareAndSet(false, true)) {
      return;
    }
    try {
      bySchema.values().removeIf(held -> {
        if (held.used) {
          held.used = false;
          return false;
        }
        return true;
      });
    } finally {
      trimming.set(false);
    }
  }
}
