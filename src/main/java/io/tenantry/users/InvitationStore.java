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

/** The one class that knows the SQL of platform.invitations. Expiry is PostgreSQL's clock, one for every node. */
final class InvitationStore {
  /** An invitation found by its token, with what acceptance must check. */
  record Found(UUID id, UUID tenantId, String tenantStatus, String email, String role, OffsetDateTime expiresAt,
               boolean accepted, boolean expired) {
  }

  private static final String INSERT = "INSERT INTO platform.invitations (id, tenant_id, email, role, token_hash, "
    + "invited_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING expires_at";
  private static final String BY_TOKEN_HASH = "SELECT i.id, i.tenant_id, t.status AS tenant_status, i.email, i.role, "
    + "i.expires_at, i.accepted_at IS NOT NULL AS accepted, i.expires_at <= now() AS expired "
    + "FROM platform.invitations i JOIN platform.tenants t ON t.id = i.tenant_id WHERE i.token_hash = $1";
  /** Single use even under concurrent accepts: only one UPDATE finds it unaccepted. */
  private static final String CONSUME = "UPDATE platform.invitations SET accepted_at = now(), accepted_by = $2 "
    + "WHERE id = $1 AND accepted_at IS NULL AND expires_at > now() RETURNING id";

  /** @return when it expires */
  Future<OffsetDateTime> insert(SqlClient client, UUID id, UUID tenantId, String email, String role, byte[] tokenHash,
                                UUID invitedBy, Duration ttl) {
    Tuple row = Tuple.of(id, tenantId, email, role, Buffer.buffer(tokenHash), invitedBy).addValue((double) ttl.toSeconds());
    return client.preparedQuery(INSERT).execute(row).map(rows -> rows.iterator().next().getOffsetDateTime(0));
  }

  Future<Optional<Found>> byTokenHash(SqlClient client, byte[] tokenHash) {
    return client.preparedQuery(BY_TOKEN_HASH).execute(Tuple.of(Buffer.buffer(tokenHash)))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(found(rows.iterator().next())));
  }

  /** @return true when this call accepted it; false when it was accepted meanwhile or has expired */
  Future<Boolean> consume(SqlClient client, UUID id, UUID userId) {
    return client.preparedQuery(CONSUME).execute(Tuple.of(id, userId)).map(rows -> rows.size() == 1);
  }

  private static Found found(Row row) {
    return new Found(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("tenant_status"), row.getString("email"),
      row.getString("role"), row.getOffsetDateTime("expires_at"), row.getBoolean("accepted"), row.getBoolean("expired"));
  }
}
