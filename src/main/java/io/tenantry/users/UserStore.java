package io.tenantry.users;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;
import java.util.UUID;

/** The one class that knows the SQL of platform.users and platform.memberships. */
public final class UserStore {
  public record User(UUID id, String email, String passwordHash, boolean superAdmin) {
  }

  private static final String BY_EMAIL =
    "SELECT id, email, password_hash, super_admin FROM platform.users WHERE lower(email) = lower($1)";
  private static final String ROLE = "SELECT role FROM platform.memberships WHERE user_id = $1 AND tenant_id = $2";
  private static final String INSERT_USER =
    "INSERT INTO platform.users (id, email, password_hash, super_admin) VALUES ($1, $2, $3, $4) "
      + "ON CONFLICT (lower(email)) DO NOTHING RETURNING id";
  private static final String INSERT_MEMBERSHIP =
    "INSERT INTO platform.memberships (user_id, tenant_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING role";
  private static final String ANY_SUPER_ADMIN = "SELECT EXISTS (SELECT 1 FROM platform.users WHERE super_admin)";
  private static final String MAKE_SUPER_ADMIN = "UPDATE platform.users SET super_admin = true WHERE lower(email) = lower($1)";

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  public Future<Optional<User>> byEmail(SqlClient client, String email) {
    return client.preparedQuery(BY_EMAIL).execute(Tuple.of(email))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toUser(rows.iterator().next())));
  }

  public Future<Optional<String>> role(UUID userId, UUID tenantId) {
    return pool.preparedQuery(ROLE).execute(Tuple.of(userId, tenantId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("role")));
  }

  /** @return true when the user was created, false when the email was already taken */
  public Future<Boolean> insert(SqlClient client, UUID id, String email, String passwordHash, boolean superAdmin) {
    return client.preparedQuery(INSERT_USER).execute(Tuple.of(id, email, passwordHash, superAdmin))
      .map(rows -> rows.size() == 1);
  }

  /** @return true when the membership was created, false when the user already was a member */
  public Future<Boolean> addMembership(SqlClient client, UUID userId, UUID tenantId, String role) {
    return client.preparedQuery(INSERT_MEMBERSHIP).execute(Tuple.of(userId, tenantId, role))
      .map(rows -> rows.size() == 1);
  }

  public Future<Boolean> anySuperAdmin() {
    return pool.query(ANY_SUPER_ADMIN).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }

  public Future<Void> makeSuperAdmin(String email) {
    return pool.preparedQuery(MAKE_SUPER_ADMIN).execute(Tuple.of(email)).mapEmpty();
  }

  private static User toUser(Row row) {
    return new User(row.getUUID("id"), row.getString("email"), row.getString("password_hash"), row.getBoolean("super_admin"));
  }
}
