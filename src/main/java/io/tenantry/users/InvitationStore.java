package io.tenantry.users;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
               boolean accepted, boolean expired, boolean revoked) {
  }

  /** The states an invitation is listed in; {@code pending} can still be accepted. */
  static final java.util.Set<String> STATES = java.util.Set.of("pending", "accepted", "expired", "revoked");
  private static final String STATE = "CASE WHEN accepted_at IS NOT NULL THEN 'accepted' WHEN revoked_at IS NOT NULL "
    + "THEN 'revoked' WHEN expires_at <= now() THEN 'expired' ELSE 'pending' END";
  private static final String LIST = "SELECT id, email, role, invited_by, created_at, expires_at, accepted_at, "
    + "accepted_by, revoked_at, " + STATE + " AS state FROM platform.invitations "
    + "WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2) AND ($3::text IS NULL OR " + STATE + " = $3) "
    + "ORDER BY id LIMIT $4";
  /** Only a pending invitation can be revoked; the state it was in otherwise is read back to explain why not. */
  private static final String REVOKE = "UPDATE platform.invitations SET revoked_at = now() WHERE tenant_id = $1 "
    + "AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id";
  private static final String STATE_OF = "SELECT " + STATE + " FROM platform.invitations WHERE tenant_id = $1 AND id = $2";

  private static final String INSERT = "INSERT INTO platform.invitations (id, tenant_id, email, role, token_hash, "
    + "invited_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING expires_at";
  private static final String BY_TOKEN_HASH = "SELECT i.id, i.tenant_id, t.status AS tenant_status, i.email, i.role, "
    + "i.expires_at, i.accepted_at IS NOT NULL AS accepted, i.expires_at <= now() AS expired, "
    + "i.revoked_at IS NOT NULL AS revoked "
    + "FROM platform.invitations i JOIN platform.tenants t ON t.id = i.tenant_id WHERE i.token_hash = $1";
  /** Single use even under concurrent accepts: only one UPDATE finds it unaccepted. */
  private static final String CONSUME = "UPDATE platform.invitations SET accepted_at = now(), accepted_by = $2 "
    + "WHERE id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id";

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
      row.getString("role"), row.getOffsetDateTime("expires_at"), row.getBoolean("accepted"), row.getBoolean("expired"),
      row.getBoolean("revoked"));
  }

  /** One page of a tenant's invitations after {@code after}, optionally in one state. */
  Future<java.util.List<JsonObject>> list(SqlClient client, UUID tenantId, UUID after, String state, int limit) {
    return client.preparedQuery(LIST).execute(Tuple.of(tenantId, after, state, limit)).map(rows -> {
      java.util.List<JsonObject> page = new java.util.ArrayList<>(rows.size());
      rows.forEach(row -> page.add(new JsonObject()
        .put("invitation_id", row.getUUID("id").toString())
        .put("email", row.getString("email"))
        .put("role", row.getString("role"))
        .put("state", row.getString("state"))
        .put("invited_by", text(row.getUUID("invited_by")))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("expires_at", row.getOffsetDateTime("expires_at").toInstant().toString())
        .put("accepted_at", text(row.getOffsetDateTime("accepted_at")))
        .put("accepted_by", text(row.getUUID("accepted_by")))
        .put("revoked_at", text(row.getOffsetDateTime("revoked_at")))));
      return page;
    });
  }

  private static String text(Object value) {
    return value instanceof OffsetDateTime time ? time.toInstant().toString() : value == null ? null : value.toString();
  }

  /** @return empty when revoked now; else the state that kept it from being revoked ("missing" when there is none) */
  Future<Optional<String>> revoke(SqlClient client, UUID tenantId, UUID id) {
    return client.preparedQuery(REVOKE).execute(Tuple.of(tenantId, id)).compose(rows -> rows.size() == 1
      ? Future.succeededFuture(Optional.<String>empty())
      : client.preparedQuery(STATE_OF).execute(Tuple.of(tenantId, id))
        .map(states -> Optional.of(states.size() == 0 ? "missing" : states.iterator().next().getString(0))));
  }
}
