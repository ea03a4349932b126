package io.tenantry.apikeys;

import io.tenantry.auth.ApiKeyVerifier;
import io.tenantry.auth.Caller;
import io.tenantry.auth.Scopes;
import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Pool;

import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies API keys for the gate and the token exchange. A key verified once is answered from this node's cache
 * ({@link VerifiedKeys}): the hot path is a map lookup by the key's id, a SHA-256 of the presented secret and a
 * constant-time compare. A revocation evicts at once here and is published on the event bus so every node evicts;
 * expiry is checked on every use. Every refusal is the same 401, so nobody learns whether a key id exists.
 */
public final class ApiKeys implements ApiKeyVerifier {
  public static final String REVOKED_ADDRESS = "tenantry.apikey.revoked";
  static final String KEY_HEADER = "key-id";
  /** Verified keys kept per node. */
  static final int CACHE_SIZE = 10_000;
  /** How long a cached key is trusted without asking the database, should a revocation notice be lost. */
  static final long RECHECK_MS = 60_000;
  static final long UNKNOWN_MS = 5_000;
  static final int UNKNOWN_MAX = 10_000;
  public static final Problem REFUSED = Problem.unauthorized("the API key is invalid, revoked or expired");

  private final ApiKeyStore store;
  private final VerifiedKeys verified = new VerifiedKeys(CACHE_SIZE);
  private final LastUsed lastUsed;
  /** Loads in flight by key id: a cold key presented by many connections at once is one query. */
  private final Map<UUID, Future<Optional<ApiKeyStore.Stored>>> loading = new ConcurrentHashMap<>();
  /** Ids with no key, remembered briefly: random well-formed keys cost one query per id, not one per request. */
  private final Map<UUID, Long> unknown = new ConcurrentHashMap<>();
  private EventBus eventBus;

  public ApiKeys(Pool pool) {
    this.store = new ApiKeyStore(pool);
    this.lastUsed = new LastUsed(store);
  }

  ApiKeyStore store() {
    return store;
  }

  /** Starts evicting on revocation notices from any node, and recording last uses. */
  public Future<Void> start(Vertx vertx) {
    this.eventBus = vertx.eventBus();
    lastUsed.start(vertx);
    return eventBus.<String>consumer(REVOKED_ADDRESS, message -> {
      try {
        verified.evict(UUID.fromString(message.headers().get(KEY_HEADER)));
      } catch (RuntimeException ignored) {
        verified.evictAll(); // a notice we cannot read: forget everything rather than miss a revocation
      }
    }).completion();
  }

  public void stop() {
    lastUsed.stop();
  }

  /** Forgets every verified key: after cluster membership changed, notices may have been missed. */
  public void evictAll() {
    verified.evictAll();
  }

  @Override
  public Future<Caller> verify(String key) {
    ApiKeyText.Parsed parsed = ApiKeyText.parse(key);
    if (parsed == null) {
      return Future.failedFuture(REFUSED);
    }
    byte[] hash = ApiKeyText.hash(parsed.secret());
    long now = System.currentTimeMillis();
    VerifiedKeys.Entry known = verified.get(parsed.id(), now);
    if (known != null) {
      if (!MessageDigest.isEqual(hash, known.secretHash())) {
        return Future.failedFuture(REFUSED);
      }
      lastUsed.used(parsed.id(), now);
      return Future.succeededFuture(known.caller());
    }
    Long unknownSince = unknown.get(parsed.id());
    if (unknownSince != null && now - unknownSince < UNKNOWN_MS) {
      return Future.failedFuture(REFUSED);
    }
    long generation = verified.generation();
    return load(parsed.id()).compose(found -> {
      long at = System.currentTimeMillis();
      ApiKeyStore.Stored stored = found.orElse(null);
      if (stored == null) {
        remember(parsed.id(), at);
      }
      if (stored == null || stored.revokedAt() != null || !MessageDigest.isEqual(hash, stored.secretHash())
        || (stored.expiresAt() != null && stored.expiresAt().toInstant().toEpochMilli() <= at)) {
        return Future.failedFuture(REFUSED);
      }
      Caller caller = caller(parsed.id(), stored);
      long until = at + RECHECK_MS;
      if (stored.expiresAt() != null) {
        until = Math.min(until, stored.expiresAt().toInstant().toEpochMilli());
      }
      verified.put(parsed.id(), new VerifiedKeys.Entry(stored.secretHash(), caller, until), generation, at);
      lastUsed.used(parsed.id(), at);
      return Future.succeededFuture(caller);
    });
  }

  private Future<Optional<ApiKeyStore.Stored>> load(UUID id) {
    Future<Optional<ApiKeyStore.Stored>> pending = loading.get(id);
    if (pending != null) {
      return pending;
    }
    Future<Optional<ApiKeyStore.Stored>> started = store.find(id);
    Future<Optional<ApiKeyStore.Stored>> raced = loading.putIfAbsent(id, started);
    if (raced != null) {
      return raced;
    }
    return started.andThen(done -> loading.remove(id, started));
  }

  private void remember(UUID id, long nowMillis) {
    if (unknown.size() >= UNKNOWN_MAX) {
      unknown.values().removeIf(since -> nowMillis - since >= UNKNOWN_MS);
      if (unknown.size() >= UNKNOWN_MAX) {
        unknown.clear();
      }
    }
    unknown.put(id, nowMillis);
  }

  /** Creates a key; the answer carries its secret, which is never shown again. */
  Future<io.vertx.core.json.JsonObject> create(UUID tenantId, String name, Set<String> scopes,
                                               OffsetDateTime expiresAt, UUID createdBy) {
    UUID id = io.tenantry.http.Uuids.v7();
    String text = ApiKeyText.create(id);
    byte[] hash = ApiKeyText.hash(ApiKeyText.parse(text).secret());
    return store.insert(id, tenantId, name, scopes, hash, createdBy, expiresAt)
      .map(json -> {
        unknown.remove(id);
        return json.put("secret", text);
      });
  }

  /** Revokes a key of the tenant: in force here at once, and on every other node when the notice arrives. */
  Future<Boolean> revoke(UUID id, UUID tenantId) {
    return store.revoke(id, tenantId).onSuccess(revoked -> {
      if (revoked) {
        verified.evict(id);
        if (eventBus != null) {
          eventBus.publish(REVOKED_ADDRESS, "revoked", new DeliveryOptions().addHeader(KEY_HEADER, id.toString()));
        }
      }
    });
  }

  private static Caller caller(UUID keyId, ApiKeyStore.Stored stored) {
    // The key acts for the user who created it (so writes and invitations have an author) but is charged by the
    // rate limiter as itself, and holds only its scopes.
    return new Caller(stored.createdBy(), stored.tenantId(), Set.of(Scopes.role(stored.scopes())), stored.scopes(), keyId);
  }
}
