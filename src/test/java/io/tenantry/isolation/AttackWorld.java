package io.tenantry.isolation;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A server with two tenants (attacker A, victim B) per tier pairing, and the assertions every attack ends with. */
final class AttackWorld implements AutoCloseable {
  static final String NOTES = "/api/v1/collections/notes/records";
  static final String OTHER = "/api/v1/collections/other/records";

  final TestServer ts;
  final String superAdmin;
  private final Map<Pairing, Side[]> sides = new LinkedHashMap<>();

  private AttackWorld(TestServer ts) {
    this.ts = ts;
    this.superAdmin = ts.adminToken();
  }

  static AttackWorld create() {
    return create(Map.of());
  }

  /** @param extra configuration a suite needs besides the world's own (an external issuer, say) */
  static AttackWorld create(Map<String, String> extra) {
    Map<String, String> config = new java.util.HashMap<>(Map.of("db.pool-size", "6",
      // Attacks that try passwords all come from 127.0.0.1; the per-address sign-in throttle is LoginThrottlingTest's.
      "login.address-failures", "100000",
      // The super-admin probes unknown tenants hundreds of times; the per-caller allowance is FailedResolutionsApiTest's.
      "tenancy.unknown-tenants-per-minute", "100000",
      // a deleted tenant is purged (and its slug free again) soon: TenantNamingAttacksTest recreates one
      "tenancy.delete-grace-seconds", "1"));
    config.putAll(extra);
    AttackWorld world = new AttackWorld(TestServer.start(config));
    for (Pairing pairing : Pairing.ALL) {
      world.sides.put(pairing, new Side[] {
        world.side(pairing.slugPrefix() + "-a", pairing.a()), world.side(pairing.slugPrefix() + "-b", pairing.b())});
    }
    return world;
  }

  Side a(Pairing pairing) {
    return sides.get(pairing)[0];
  }

  Side b(Pairing pairing) {
    return sides.get(pairing)[1];
  }

  Side side(String slug, String tier) {
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject tenant = created.bodyAsJsonObject();
    ts.addUser(superAdmin, slug, "member@" + slug + ".test", "member");
    ts.addUser(superAdmin, slug, "admin@" + slug + ".test", "tenant_admin");
    String member = ts.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug);
    String admin = ts.api.token("admin@" + slug + ".test", "password-of-admin@" + slug + ".test", slug);
    UUID id = UUID.fromString(tenant.getString("id"));
    String database = tier.equals("database") ? tenant.getJsonObject("database").getString("name") : ts.config.dbName();
    String schema = switch (tier) {
      case "shared" -> "shared";
      case "schema" -> "t_" + id.toString().replace("-", "");
      default -> "tenant";
    };
    Side draft = new Side(slug, id, tier, member, admin, List.of(), null, database, schema);
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      notes.add(ts.api.post(NOTES, member, draft.note(i)).bodyAsJsonObject().getString("id"));
    }
    String other = ts.api.post(OTHER, member, draft.note(9)).bodyAsJsonObject().getString("id");
    return new Side(slug, id, tier, member, admin, List.copyOf(notes), other, database, schema);
  }

  /** Nothing of the victim in a response: not its secret, its record ids or its tenant id. */
  static void assertNoLeak(HttpResponse<Buffer> response, Side victim) {
    String body = response.bodyAsString() == null ? "" : response.bodyAsString();
    assertThat(body).doesNotContain(victim.secret()).doesNotContain(victim.id().toString());
    victim.noteIds().forEach(id -> assertThat(body).doesNotContain(id));
    assertThat(body).doesNotContain(victim.otherId());
  }

  /** The victim's records, read as the victim: exactly the three notes, all at version 1, untouched. */
  void assertUnchanged(Side victim) {
    HttpResponse<Buffer> list = ts.api.get(NOTES + "?limit=500", victim.memberToken());
    assertThat(list.statusCode()).isEqualTo(200);
    JsonArray items = list.bodyAsJsonObject().getJsonArray("items");
    assertThat(items).as("%s's notes", victim.slug()).hasSize(3);
    for (int i = 0; i < items.size(); i++) {
      JsonObject record = items.getJsonObject(i);
      assertThat(record.getLong("version")).isEqualTo(1L);
      assertThat(record.getJsonObject("data")).isEqualTo(victim.note(i));
    }
    assertThat(ts.api.get(OTHER + "/" + victim.otherId(), victim.memberToken()).bodyAsJsonObject().getJsonObject("data"))
      .isEqualTo(victim.note(9));
  }

  /**
   * A list of the notes read as {@code owner} is exactly the owner's notes as the database holds them, in id order:
   * its own notes are there (an empty or short list fails) and nothing else is.
   */
  void assertOnlyOwn(HttpResponse<Buffer> list, Side owner) {
    List<String> ids = assertOnlyOwn(list, owner, null);
    assertThat(ids).as("%s's own notes", owner.slug()).containsAll(owner.noteIds());
  }

  /**
   * As {@link #assertOnlyOwn(HttpResponse, Side)} for a page that starts after {@code after} (null: the first page):
   * exactly the owner's notes with a greater id, as many as fit in the page's limit of 500.
   *
   * @return the ids listed
   */
  List<String> assertOnlyOwn(HttpResponse<Buffer> list, Side owner, UUID after) {
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    JsonArray items = list.bodyAsJsonObject().getJsonArray("items");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      assertThat(items.getJsonObject(i).getJsonObject("data").getString("owner")).isEqualTo(owner.slug());
      ids.add(items.getJsonObject(i).getString("id"));
    }
    assertThat(ids).as("%s's notes after %s", owner.slug(), after).containsExactlyElementsOf(storedNotes(owner, after));
    return ids;
  }

  /**
   * Makes sure the owner has a note with an id greater than {@code after} (ids are random), so that a page starting
   * there has something of the owner's to show and an empty answer fails.
   */
  void addNotesAfter(Side owner, UUID after) {
    for (int i = 0; i < 30; i++) {
      String id = ts.api.post(NOTES, owner.memberToken(), owner.note(100 + i)).bodyAsJsonObject().getString("id");
      if (UUID.fromString(id).toString().compareTo(after.toString()) > 0) {
        return;
      }
    }
    throw new AssertionError("no note of " + owner.slug() + " after " + after + " in 30 tries");
  }

  /** The owner's notes read straight from its table as the superuser (no RLS, no server code): the truth to compare with. */
  private List<String> storedNotes(Side owner, UUID after) {
    String sql = "SELECT id FROM " + owner.table() + " WHERE tenant_id = ? AND collection = 'notes' AND id > ? ORDER BY id LIMIT 500";
    try (Connection c = TestEnv.connect(owner.database(), TestEnv.adminUser()); PreparedStatement st = c.prepareStatement(sql)) {
      st.setObject(1, owner.id());
      st.setObject(2, after == null ? new UUID(0, 0) : after);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      assertThat(ids).as("%s's stored notes", owner.slug()).isNotEmpty();
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + owner.slug() + "'s notes: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    ts.close();
  }
}
