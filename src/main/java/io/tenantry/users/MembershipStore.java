package io.tenantry.users;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of managing memberships: a tenant's member list, role changes and removals (which keep at least one
 * tenant_admin), and an account's own memberships. Every statement on a tenant's members is keyed by its tenant id.
 */
public final class MembershipStore {
  /** A member of a tenant, as its admins see it. */
  public record Member(UUID userId, String email, UUID tenantId, String role) {
    public JsonObject toJson() {
      return new JsonObject()
        .put("user_id", userId.toString())
        .put("email", email)
        .put("tenant_id", tenantId.toString())
        .put("role", role);
    }
  }

  /** One of an account's memberships, with the tenant's names. */
  public record Membership(UUID tenantId, String slug, String name, String status, String role) {
    public JsonObject toJson() {
      return new JsonObject()
        .put("tenant_id", tenantId.toString())
        .put("slug", slug)
        .put("name", name)
        .put("tenant_status", status)
        .put("role", role);
    }
  }

  private static final String LIST = "SELECT m.user_id, u.email, m.tenant_id, m.role FROM platform.memberships m "
    + "JOIN platform.users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND ($2::uuid IS NULL OR m.user_id > $2) "
    + "AND ($3::text IS NULL OR m.role = $3) AND ($4::text IS NULL OR lower(u.email) LIKE $4 ESCAPE '\\') "
    + "ORDER BY m.user_id LIMIT $5";
  /** Locks every admin row of the tenant, so two admins demoting each other at once are serialized. */
  private static final String LOCK_ADMINS = "SELECT user_id FROM platform.memberships WHERE tenant_id = $1 "
    + "AND role = 'tenant_admin' ORDER BY user_id FOR UPDATE";
  private static final String LOCK_MEMBER = "SELECT m.role, u.email FROM platform.memberships m "
    + "JOIN platform.users u ON u.id = m.user_id WHERE m.tenant_id = $1 AND m.user_id = $2 FOR UPDATE OF m";
  private static final String SET_ROLE = "UPDATE platform.memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2";
  private static final String REMOVE = "DELETE FROM platform.memberships WHERE tenant_id = $1 AND user_id = $2";
  private static final String OF_USER = "SELECT t.id, t.slug, t.name, t.status, m.role FROM platform.memberships m "
    + "JOIN platform.tenants t ON t.id = m.tenant_id WHERE m.user_id = $1 ORDER BY t.slug";
  private static final String ROLE = "SELECT role FROM platform.memberships WHERE user_id = $1 AND tenant_id = $2";
  private static final String USER = "SELECT email, super_admin FROM platform.users WHERE id = $1";

  /** An account as it sees itself. */
  public record Account(String email, boolean superAdmin) {
  }

  /**
   * @param after       the last user id of the previous page, or null
   * @param emailPrefix matched case-insensitively, or null
   */
  public Future<List<Member>> list(SqlClient client, UUID tenantId, UUID after, String role, String emailPrefix,
                                   int limit) {
    String like = emailPrefix == null ? null : likePrefix(emailPrefix);
    return client.preparedQuery(LIST).execute(Tuple.of(tenantId, after, role, like, limit)).map(rows -> {
      List<Member> members = new ArrayList<>(rows.size());
      rows.forEach(row -> members.add(new Member(row.getUUID("user_id"), row.getString("email"),
        row.getUUID("tenant_id"), row.getString("role"))));
      return members;
    });
  }

  /** In a transaction: sets the member's role unless that leaves the tenant without a tenant_admin. */
  public Future<Optional<Member>> setRole(SqlClient tx, UUID tenantId, UUID userId, String role) {
    return change(tx, tenantId, userId, !"tenant_admin".equals(role),
      member -> tx.preparedQuery(SET_ROLE).execute(Tuple.of(tenantId, userId, role))
        .map(done -> new Member(userId, member.email(), tenantId, role)));
  }

  /** In a transaction: removes the membership (not the account) unless it is the tenant's last tenant_admin. */
  public Future<Optional<Member>> remove(SqlClient tx, UUID tenantId, UUID userId) {
    return change(tx, tenantId, userId, true,
      member -> tx.preparedQuery(REMOVE).execute(Tuple.of(tenantId, userId)).map(done -> member));
  }

  /** @return the user's role in the tenant now, or null when not a member */
  public Future<String> role(SqlClient client, UUID userId, UUID tenantId) {
    return client.preparedQuery(ROLE).execute(Tuple.of(userId, tenantId))
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("role"));
  }

  public Future<Optional<Account>> account(SqlClient client, UUID userId) {
    return client.preparedQuery(USER).execute(Tuple.of(userId)).map(rows -> rows.size() == 0 ? Optional.empty()
      : Optional.of(new Account(rows.iterator().next().getString("email"), rows.iterator().next().getBoolean("super_admin"))));
  }

  public Future<List<Membership>> ofUser(SqlClient client, UUID userId) {
    return client.preparedQuery(OF_USER).execute(Tuple.of(userId)).map(rows -> {
      List<Membership> list = new ArrayList<>(rows.size());
      for (Row row : rows) {
        list.add(new Membership(row.getUUID("id"), row.getString("slug"), row.getString("name"),
          row.getString("status"), row.getString("role")));
      }
      return list;
    });
  }

  private Future<Optional<Member>> change(SqlClient tx, UUID tenantId, UUID userId, boolean dropsAdmin,
                                          java.util.function.Function<Member, Future<Member>> write) {
    return tx.preparedQuery(LOCK_ADMINS).execute(Tuple.of(tenantId)).compose(admins ->
      tx.preparedQuery(LOCK_MEMBER).execute(Tuple.of(tenantId, userId)).compose(found -> {
        if (found.size() == 0) {
          return Future.succeededFuture(Optional.<Member>empty());
        }
        Row row = found.iterator().next();
        Member member = new Member(userId, row.getString("email"), tenantId, row.getString("role"));
        if (dropsAdmin && "tenant_admin".equals(member.role()) && admins.size() <= 1) {
          return Future.failedFuture(Problem.conflict("this is the tenant's last tenant_admin: make another member "
            + "tenant_admin first"));
        }
        return write.apply(member).map(Optional::of);
      }));
  }

  /** A LIKE pattern matching strings that start with {@code prefix} literally, lower-cased. */
  static String likePrefix(String prefix) {
    StringBuilder like = new StringBuilder(prefix.length() + 1);
    for (char c : prefix.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      if (c == '%' || c == '_' || c == '\\') {
        like.append('\\');
      }
      like.append(c);
    }
    return like.append('%').toString();
  }
}
