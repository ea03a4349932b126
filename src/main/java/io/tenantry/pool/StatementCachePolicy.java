package io.tenantry.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Which statements a pooled connection keeps prepared (the PostgreSQL client's statement cache filter). Statements
 * whose number does not depend on the tenant count — the platform's, the shared tier's ({@code shared.}), a
 * database-tier tenant's ({@code tenant.}) — are cached as before. A schema-tier tenant's statements name its own
 * schema ({@code "t_<id>"}), so each such tenant adds its own set to every connection's cache: past about
 * {@code cache size / 7} active schema tenants the least-recently-used cache would evict statements as fast as it
 * prepares them, the platform's and shared tier's included, and every backend would hold plans for every tenant.
 * Instead, at most {@link #maxResidentSchemas()} schemas are resident: their statements are cached; any other
 * schema's statements run unprepared (the client's one-shot prepare: one more round trip and a parse and plan per
 * execution — a cost per request that does not grow with the tenant count). Residents not used since the previous
 * trim leave when a newcomer is refused, so the set follows the active schema tenants. The client asks the filter
 * only when a text is not in the connection's cache, so a cached statement costs nothing more.
 *
 * <p>This only decides whether a statement text is kept prepared on a connection; the text, its tenant key and its
 * statement-carried tenant context are the same either way, so isolation does not depend on it.
 */
public final class StatementCachePolicy implements Predicate<String> {
  /** Vert.x's own default: longer texts are not cached. */
  static final int SQL_LIMIT = 2048;
  /** Statements per schema tenant the cache holds room for: the records statements a request path uses. */
  static final int STATEMENTS_PER_SCHEMA = 7;
  /** Denials between two trims of the resident set. */
  static final int TRIM_EVERY = 256;
  private static final String SCHEMA_TIER = "\"t_";

  private static final class Resident {
    /** Used since the last trim; a lost write only costs a schema its residency one trim early. */
    boolean used = true;
  }

  private final int maxResident;
  private final Map<String, Resident> resident = new ConcurrentHashMap<>();
  private final AtomicInteger denials = new AtomicInteger();
  /** Set while a trim runs; package-private so a test can stand for a trim in progress on another thread. */
  final AtomicBoolean trimming = new AtomicBoolean();

  /** Keeps an eighth of a cache of {@code cacheSize} statements for the statements every tenant shares. */
  public static StatementCachePolicy forCacheSize(int cacheSize) {
    return new StatementCachePolicy(Math.max(1, cacheSize * 7 / 8 / STATEMENTS_PER_SCHEMA));
  }

  StatementCachePolicy(int maxResident) {
    this.maxResident = maxResident;
  }

  public int maxResidentSchemas() {
    return maxResident;
  }

  public int residentSchemas() {
    return resident.size();
  }

  @Override
  public boolean test(String sql) {
    if (sql.length() >= SQL_LIMIT) {
      return false;
    }
    int at = sql.indexOf(SCHEMA_TIER);
    if (at < 0) {
      return true;
    }
    int end = sql.indexOf('"', at + 1);
    return end < 0 || admits(sql.substring(at + 1, end));
  }

  private boolean admits(String schema) {
    Resident known = resident.get(schema);
    if (known != null) {
      if (!known.used) {
        known.used = true;
      }
      return true;
    }
    if (resident.size() < maxResident) {
      resident.putIfAbsent(schema, new Resident());
      return true; // a race may let the set pass its bound by a few: the next trim takes it back
    }
    if (denials.incrementAndGet() % TRIM_EVERY == 0) {
      trim();
    }
    return false;
  }

  /** Second chance: residents unused since the last trim leave; the others are marked unused. */
  private void trim() {
    if (!trimming.compareAndSet(false, true)) {
      return;
    }
    try {
      resident.values().removeIf(r -> {
        if (r.used) {
          r.used = false;
          return false;
        }
        return true;
      });
    } finally {
      trimming.set(false);
    }
  }
}
