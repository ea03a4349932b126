package io.tenantry.auth;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens already verified, by their exact text, until their {@code exp}: a client repeating its token skips the
 * RS256 signature check and the claims parsing. Keyed by the whole token string (header, payload and signature),
 * so a token differing in any byte is a miss and gets fully verified; only canonically spelled tokens are looked up
 * ({@link TokenText}), so the text is a function of the token's bytes and one token cannot have two entries. Bounded: when full, expired entries are
 * dropped first, then arbitrary ones. Thread-safe; shared by all HTTP verticles.
 */
final class VerifiedTokens {
  private record Entry(Caller caller, long expiresAtMillis, String jti, long issuedAt) {
  }

  private final int maxEntries;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  VerifiedTokens(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** @return the caller of a verified, unexpired token, or null */
  Caller get(String token, long nowMillis) {
    Entry entry = entries.get(token);
    if (entry == null) {
      return null;
    }
    if (nowMillis >= entry.expiresAtMillis()) {
      entries.remove(token, entry);
      return null;
    }
    return entry.caller();
  }

  /** Remembers a token that passed verification, until {@code expiresAtMillis} (its exp claim). */
  void put(String token, Caller caller, long expiresAtMillis, long nowMillis) {
    put(token, caller, expiresAtMillis, nowMillis, null, 0);
  }

  /** With the token's jti and iat, by which {@link #evict} finds it when it is revoked. */
  void put(String token, Caller caller, long expiresAtMillis, long nowMillis, String jti, long issuedAt) {
    if (expiresAtMillis <= nowMillis || maxEntries == 0) {
      return;
    }
    if (entries.size() >= maxEntries) {
      makeRoom(nowMillis);
    }
    entries.put(token, new Entry(caller, expiresAtMillis, jti, issuedAt));
  }

  /** Drops the entries {@code revoked} refuses: a scan, run only when a revocation arrives, never per request. */
  void evict(RevokedTokens revoked) {
    entries.values().removeIf(e -> revoked.refuses(e.jti(), e.caller().userId(), e.issuedAt()));
  }

  int size() {
    return entries.size();
  }

  private void makeRoom(long nowMillis) {
    entries.values().removeIf(e -> nowMillis >= e.expiresAtMillis());
    Iterator<String> keys = entries.keySet().iterator();
    int excess = entries.size() - maxEntries * 9 / 10;
    while (excess-- > 0 && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
