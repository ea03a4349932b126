package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin tries to pull B's accounts into A by e-mail (POST /admin/v1/tenants/A/users), or to learn which
 * e-mails have accounts: no account joins A without its owner accepting, and the answer is the same as for an
 * e-mail nobody uses.
 */
class TenantAdminAddsForeignAccountAttacksTest extends AttackSuite {
  private HttpResponse<Buffer> add(Pairing p, String email, String role, String password) {
    JsonObject body = new JsonObject().put("email", email).put("role", role);
    if (password != null) {
      body.put("password", password);
    }
    return world.ts.api.post("/admin/v1/tenants/" + world.a(p).slug() + "/users", world.a(p).adminToken(), body);
  }

  private int tokenStatus(String email, String password, String tenant) {
    return world.ts.api.post("/auth/token", null, new JsonObject().put("email", email).put("password", password)
      .put("tenant", tenant)).statusCode();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void bAccountsCannotBeAddedToAByEmail(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (String victim : new String[] {"member@" + b.slug() + ".test", "admin@" + b.slug() + ".test"}) {
      HttpResponse<Buffer> withPassword = add(p, victim, "tenant_admin", "attacker-chosen-password");
      assertProblem(withPassword, 400);
      HttpResponse<Buffer> invited = add(p, victim, "tenant_admin", null);
      assertThat(invited.statusCode()).isEqualTo(202);
      assertThat(invited.bodyAsJsonObject().containsKey("user_id")).isFalse();
      for (HttpResponse<Buffer> r : java.util.List.of(withPassword, invited)) {
        assertNoLeak(r, b);
      }
      // Not a member of A: neither with the victim's own password nor with the one the attacker chose.
      assertThat(tokenStatus(victim, "password-of-" + victim, a.slug())).isEqualTo(401);
      assertThat(tokenStatus(victim, "attacker-chosen-password", a.slug())).isEqualTo(401);
      assertThat(tokenStatus(victim, "password-of-" + victim, b.slug())).isEqualTo(200);
    }
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void theAnswerDoesNotTellWhetherAnEmailHasAnAccount(Pairing p) {
    String existing = "member@" + world.b(p).slug() + ".test";
    String unused = "nobody-" + p.slugPrefix() + "@nowhere.test";
    HttpResponse<Buffer> known = add(p, existing, "member", null);
    HttpResponse<Buffer> unknown = add(p, unused, "member", null);
    assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(202);
    assertThat(known.bodyAsJsonObject().fieldNames()).isEqualTo(unknown.bodyAsJsonObject().fieldNames());
    assertThat(known.bodyAsJsonObject().getString("status")).isEqualTo(unknown.bodyAsJsonObject().getString("status"));
    // The old probe: a new e-mail without a password used to say "password is required for a new user".
    assertProblem(add(p, existing, "member", "attacker-chosen-password"), 400);
    assertThat(assertProblem(add(p, existing, "member", "attacker-chosen-password"), 400).getString("detail"))
      .isEqualTo(assertProblem(add(p, unused, "member", "attacker-chosen-password"), 400).getString("detail"));
  }
}
