package io.tenantry.audit;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant of one tier made for an audit test, with a tenant_admin and a member, and the owner role's way into its
 * audit tables: the superuser connection to the tenant's database with {@code SET ROLE} to the owner (what an
 * insider with the migration role could do).
 */
record AuditTenant(TestServer ts, String slug, UUID id, String tier, String database, String schema,
                   String adminToken, String memberToken, UUID adminId, UUID memberId) {
  static final String NOTES = "/api/v1/collections/notes/records";

  static AuditTenant create(TestServer ts, String superAdmin, String slug, String tier) {
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject tenant = created.bodyAsJsonObject();
    UUID id = UUID.fromString(tenant.getString("id"));
    ts.addUser(superAdmin, slug, "admin@" + slug + ".test", "tenant_admin");
    ts.addUser(superAdmin, slug, "member@" + slug + ".test", "member");
    String admin = ts.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", slug);
    String member = ts.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug);
    String database = tier.equals("database") ? tenant.getJsonObject("database").getString("name") : ts.config.dbName();
    String schema = switch (tier) {
      case "shared" -> "shared";
      case "schema" -> "t_" + id.toString().replace("-", "");
      default -> "tenant";
    };
    return new AuditTenant(ts, slug, id, tier, database, schema, admin, member,
      userId(ts, "admin@" + slug + ".test"), userId(ts, "member@" + slug + ".test"));
  }

  private static UUID userId(TestServer ts, String email) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
         var st = c.prepareStatement("SELECT id FROM platform.users WHERE email = ?")) {
      st.setString(1, email);
      try (var rs = st.executeQuery()) {
        rs.next();
        return (UUID) rs.getObject(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  String table(String name) {
    return "\"" + schema + "\"." + name;
  }

  /**
   * Runs statements as the owner role in the tenant's database, in the tenant's context: row-level security is
   * forced on the owner too, so an insider sets the context (or lifts the policy) to reach the rows.
   */
  void asOwner(String... sql) {
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("SET ROLE \"" + ts.config.ownerRole() + "\"");
      st.execute("SET app.tenant_id = '" + id + "'");
      for (String statement : sql) {
        st.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** A number read as the superuser (no row-level security). */
  long count(String sql) {
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement();
         var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  String createNote(int n) {
    HttpResponse<Buffer> r = ts.api.post(NOTES, memberToken, new JsonObject().put("n", n).put("owner", slug));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  JsonObject verify(String token) {
    HttpResponse<Buffer> r = ts.api.get("/admin/v1/tenants/" + slug + "/audit/verify", token);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }
}
