package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokensTest {
  private static final Caller ALICE = new Caller(UUID.randomUUID(), UUID.randomUUID(), Set.of(Caller.MEMBER));
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

  @Test
  void aVerifiedTokenIsRememberedUntilItsExpiry() {
    VerifiedTokens cache = new VerifiedTokens(10);
    cache.put("t1", ALICE, 2_000, 1_000);
    assertThat(cache.get("t1", 1_999)).isEqualTo(ALICE);
    assertThat(cache.get("t1", 2_000)).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void anAlreadyExpiredTokenIsNotRemembered() {
    VerifiedTokens cache = new VerifiedTokens(10);
    cache.put("t1", ALICE, 1_000, 1_000);
    assertThat(cache.get("t1", 999)).isNull();
  }

  @Test
  void theCacheStaysWithinItsBoundDroppingExpiredEntriesFirst() {
    VerifiedTokens cache = new VerifiedTokens(100);
    for (int i = 0; i < 50; i++) {
      cache.put("old" + i, ALICE, 1_500, 1_000);
    }
    for (int i = 0; i < 50; i++) {
      cache.put("new" + i, ALICE, 9_000, 1_000);
    }
    cache.put("one-more", ALICE, 9_000, 2_000);
    assertThat(cache.size()).isEqualTo(51);
    assertThat(cache.get("new7", 2_000)).isEqualTo(ALICE);
    for (int i = 0; i < 1_000; i++) {
      cache.put("many" + i, ALICE, 9_000, 2_000);
    }
    assertThat(cache.size()).isLessThanOrEqualTo(100);
    assertThat(cache.get("many999", 2_000)).isEqualTo(ALICE);
  }

  @Test
  void aTamperedCopyOfACachedTokenIsStillRefused() throws Exception {
    String token = tokens.issue(ALICE.userId(), ALICE.tenantId(), List.of(Caller.MEMBER));
    assertThat(tokens.verify(token).await(10, TimeUnit.SECONDS)).isEqualTo(ALICE);
    assertThat(tokens.verify(token).await(10, TimeUnit.SECONDS)).isEqualTo(ALICE); // from the cache

    String[] parts = token.split("\\.");
    String otherRoles = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
      new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("member", "tenant_admin").getBytes());
    String tampered = parts[0] + "." + otherRoles + "." + parts[2];
    assertThatThrownBy(() -> tokens.verify(tampered).await(10, TimeUnit.SECONDS)).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> tokens.verify(token + "x").await(10, TimeUnit.SECONDS)).isInstanceOf(Problem.class);
  }
}
