package io.tenantry.users;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** The one class that knows the SQL of platform.password_resets. Expiry is PostgreSQL's clock, one for every node. */
final class PasswordResetStore {
  /** A reset found by its token, with what confirming must check. */
  record Found(UUID id, UUID userId, OffsetDateTime expiresAt, boolean used, boolean expired) {
  }

  private static final String INSERT = "INSERT INTO platform.password_resets (id, user_id, token_hash, expires_at) "
    + "VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at";
  private static final String BY_TOKEN_HASH = "SELECT id, user_id, expires_at, used_at IS NOT NULL AS used, "
    + "expires_at <= now() AS expired FROM platform.password_resets WHERE token_hash = $1";
  /** Single use even under concurrent confirms: only one UPDATE finds it unused. */
  private static final String CONSUME = "UPDATE platform.password_resets SET used_at = now() "
    + "WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id";
  /** A password just set makes the account's other pending resets useless: a stolen older e-mail no longer works. */
  private static final String CONSUME_OTHERS = "UPDATE platform.password_resets SET used_at = now() "
    + "WHERE user_id = $1 AND used_at IS NULL";
  private static final String SET_PASSWORD = "UPDATE platform.users SET password_hash = $2 WHERE id = $1";

  Future<OffsetDateTime> insert(SqlClient client, UUID id, UUID userId, byte[] tokenHash, Duration ttl) {
    Tuple row = Tuple.of(id, userId, Buffer.buffer(tokenHash)).addValue((double) ttl.toSeconds());
    return client.preparedQuery(INSERT).execute(row).map(rows -> rows.iterator().next().getOffsetDateTime(0));
  }

  Future<Optional<Found>> byTokenHash(SqlClient client, byte[] tokenHash) {
    return client.preparedQuery(BY_TOKEN_HASH).execute(Tuple.of(Buffer.buffer(tokenHash)))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(found(rows.iterator().next())));
  }

  /** @return true when this call used it; false when it was used meanwhile or has expired */
  Future<Boolean> consume(SqlClient client, UUID id) {
    return client.preparedQuery(CONSUME).execute(Tuple.of(id)).map(rows -> rows.size() == 1);
  }

  Future<Void> setPassword(SqlClient client, UUID userId, String passwordHash) {
    return client.preparedQuery(SET_PASSWORD).execute(Tuple.of(userId, passwordHash))
      .compose(done -> client.preparedQuery(CONSUME_OTHERS).execute(Tuple.of(userId)))
      .mapEmpty();
  }

  private static Found found(Row row) {
    return new Found(row.getUUID("id"), row.getUUID("user_id"), row.getOffsetDateTime("expires_at"),
      row.getBoolean("used"), row.getBoolean("expired"));
  }
}
