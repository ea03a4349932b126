package io.tenantry.sessions;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The SQL of platform.refresh_tokens, platform.revoked_tokens and platform.user_sessions_not_before. */
final class SessionStore {
  /** A revoked access token: its jti and when it would have expired anyway. */
  record RevokedJti(String jti, long expiresAtMillis) {
  }

  /** The refresh token just spent by a rotation. */
  record Spent(UUID familyId, UUID userId, UUID tenantId) {
  }

  private static final String INSERT = "INSERT INTO platform.refresh_tokens (id, family_id, user_id, tenant_id, "
    + "token_hash, access_jti, access_exp, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  // Atomic: of two requests presenting the same token, one spends it and the other sees it spent (a reuse).
  private static final String SPEND = "UPDATE platform.refresh_tokens SET spent_at = now() WHERE token_hash = $1 "
    + "AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING family_id, user_id, tenant_id";
  private static final String REUSED = "SELECT family_id, user_id, tenant_id FROM platform.refresh_tokens WHERE token_hash = $1 "
    + "AND spent_at IS NOT NULL AND revoked_at IS NULL";
  private static final String FAMILY_OF_ACCESS = "SELECT family_id FROM platform.refresh_tokens "
    + "WHERE access_jti = $1 AND user_id = $2";
  // The family's refresh tokens end, and so do the access tokens issued with them that are still alive.
  private static final String REVOKE_FAMILY = "WITH f AS (UPDATE platform.refresh_tokens SET revoked_at = now() "
    + "WHERE family_id = $1 AND revoked_at IS NULL RETURNING access_jti, access_exp) "
    + "INSERT INTO platform.revoked_tokens (jti, expires_at) SELECT access_jti, access_exp FROM f "
    + "WHERE access_exp > now() ON CONFLICT (jti) DO NOTHING RETURNING jti, expires_at";
  private static final String REVOKE_USER = "UPDATE platform.refresh_tokens SET revoked_at = now() "
    + "WHERE user_id = $1 AND revoked_at IS NULL";
  private static final String REVOKE_JTI = "INSERT INTO platform.revoked_tokens (jti, expires_at) VALUES ($1, $2) "
    + "ON CONFLICT (jti) DO NOTHING";
  private static final String NOT_BEFORE = "INSERT INTO platform.user_sessions_not_before (user_id, not_before) "
    + "VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET not_before = "
    + "GREATEST(platform.user_sessions_not_before.not_before, EXCLUDED.not_before)";
  private static final String LIVE_JTIS = "SELECT jti, expires_at FROM platform.revoked_tokens WHERE expires_at > now()";
  private static final String ALL_NOT_BEFORE = "SELECT user_id, not_before FROM platform.user_sessions_not_before";

  private final Pool pool;

  SessionStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  Future<Void> insert(UUID familyId, UUID userId, UUID tenantId, byte[] hash, UUID accessJti, long accessExpMillis,
                      long expiresAtMillis) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(UUID.randomUUID(), familyId, userId, tenantId, hash, accessJti)
      .addValue(time(accessExpMillis)).addValue(time(expiresAtMillis))).mapEmpty();
  }

  Future<Optional<Spent>> spend(byte[] hash) {
    return pool.preparedQuery(SPEND).execute(Tuple.of(hash)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Spent(row.getUUID("family_id"), row.getUUID("user_id"), row.getUUID("tenant_id")));
    });
  }

  /** The family (and its user and tenant) of a refresh token presented again after it was spent, if it was. */
  Future<Optional<Spent>> reusedFamily(byte[] hash) {
    return pool.preparedQuery(REUSED).execute(Tuple.of(hash)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Spent(row.getUUID("family_id"), row.getUUID("user_id"), row.getUUID("tenant_id")));
    });
  }

  Future<Optional<UUID>> familyOfAccessToken(UUID jti, UUID userId) {
    return pool.preparedQuery(FAMILY_OF_ACCESS).execute(Tuple.of(jti, userId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID("family_id")));
  }

  /** @return the access tokens newly revoked with the family */
  Future<List<RevokedJti>> revokeFamily(UUID familyId) {
    return pool.preparedQuery(REVOKE_FAMILY).execute(Tuple.of(familyId)).map(SessionStore::jtis);
  }

  Future<Void> revokeJti(UUID jti, long expiresAtMillis) {
    return pool.preparedQuery(REVOKE_JTI).execute(Tuple.of(jti, time(expiresAtMillis))).mapEmpty();
  }

  Future<Void> revokeUser(UUID userId, long notBeforeSeconds) {
    return pool.preparedQuery(REVOKE_USER).execute(Tuple.of(userId))
      .compose(done -> pool.preparedQuery(NOT_BEFORE).execute(Tuple.of(userId, notBeforeSeconds))).mapEmpty();
  }

  Future<List<RevokedJti>> liveRevokedJtis() {
    return pool.query(LIVE_JTIS).execute().map(SessionStore::jtis);
  }

  Future<List<Row>> notBefores() {
    return pool.query(ALL_NOT_BEFORE).execute().map(rows -> {
      List<Row> list = new ArrayList<>(rows.size());
      rows.forEach(list::add);
      return list;
    });
  }

  private static List<RevokedJti> jtis(io.vertx.sqlclient.RowSet<Row> rows) {
    List<RevokedJti> list = new ArrayList<>(rows.size());
    for (Row row : rows) {
      list.add(new RevokedJti(row.getUUID("jti").toString(), row.getOffsetDateTime("expires_at").toInstant().toEpochMilli()));
    }
    return list;
  }

  private static OffsetDateTime time(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }
}
