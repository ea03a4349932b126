package io.tenantry.auth;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's revoked access tokens: jtis until their exp, and per user a "not before" (seconds) below which a
 * token's iat is refused. Filled from the platform tables at start and from the event bus (sessions package);
 * consulted only when a token is verified in full, since revoking evicts the token from {@link VerifiedTokens}.
 */
final class RevokedTokens {
  private final Map<String, Long> jtis = new ConcurrentHashMap<>();
  private final Map<UUID, Long> notBefore = new ConcurrentHashMap<>();

  void revoke(String jti, long expiresAtMillis) {
    jtis.merge(jti, expiresAtMillis, Math::max);
  }

  void revokeBefore(UUID user, long notBeforeSeconds) {
    notBefore.merge(user, notBeforeSeconds, Math::max);
  }

  boolean refuses(String jti, UUID user, long issuedAtSeconds) {
    if (jti != null && jtis.containsKey(jti)) {
      return true;
    }
    Long before = notBefore.isEmpty() ? null : notBefore.get(user);
    return before != null && issuedAtSeconds < before;
  }

  void purge(long nowMillis) {
    jtis.values().removeIf(exp -> exp <= nowMillis);
  }
}
