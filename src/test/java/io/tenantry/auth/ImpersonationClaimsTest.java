package io.tenantry.auth;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The act claim of an impersonation token becomes Caller.impersonator, and such a token never carries super_admin. */
class ImpersonationClaimsTest {
  private static Vertx vertx;
  private static Tokens tokens;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    tokens = JwtKeysPem.freshTokens(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static Caller verify(String token) throws Exception {
    return tokens.verify(token).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void actNamesTheImpersonator() throws Exception {
    UUID user = UUID.randomUUID();
    UUID tenant = UUID.randomUUID();
    UUID actor = UUID.randomUUID();
    Caller caller = verify(tokens.issueImpersonation(user, tenant, Caller.TENANT_ADMIN, actor, 60, UUID.randomUUID()));
    assertThat(caller.userId()).isEqualTo(user);
    assertThat(caller.tenantId()).isEqualTo(tenant);
    assertThat(caller.roles()).containsExactly(Caller.TENANT_ADMIN);
    assertThat(caller.impersonator()).isEqualTo(actor);
  }

  @Test
  void anImpersonationTokenIsNeverASuperAdmins() throws Exception {
    Caller caller = verify(tokens.issueImpersonation(UUID.randomUUID(), UUID.randomUUID(), Caller.SUPER_ADMIN,
      UUID.randomUUID(), 60, UUID.randomUUID()));
    assertThat(caller.superAdmin()).isFalse();
    assertThat(caller.roles()).isEmpty();
  }

  @Test
  void anOrdinaryTokenHasNoImpersonator() throws Exception {
    assertThat(verify(tokens.issue(UUID.randomUUID(), UUID.randomUUID(), List.of(Caller.MEMBER))).impersonator()).isNull();
  }
}
