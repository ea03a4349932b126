package io.tenantry.auth;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-node revocation set and the eviction it drives in the verified-token cache. */
class RevokedTokensTest {
  private static final Caller ALICE = new Caller(UUID.randomUUID(), UUID.randomUUID(), Set.of(Caller.MEMBER));
  private static final Caller BOB = new Caller(UUID.randomUUID(), UUID.randomUUID(), Set.of(Caller.MEMBER));

  @Test
  void aRevokedJtiIsEvictedFromTheCacheAndOthersStay() {
    VerifiedTokens cache = new VerifiedTokens(10);
    cache.put("a1", ALICE, 10_000, 1_000, "jti-a1", 1);
    cache.put("a2", ALICE, 10_000, 1_000, "jti-a2", 1);
    RevokedTokens revoked = new RevokedTokens();
    revoked.revoke("jti-a1", 10_000);

    cache.evict(revoked);

    assertThat(cache.get("a1", 2_000)).isNull();
    assertThat(cache.get("a2", 2_000)).isEqualTo(ALICE);
    assertThat(revoked.refuses("jti-a1", ALICE.userId(), 1)).isTrue();
    assertThat(revoked.refuses("jti-a2", ALICE.userId(), 1)).isFalse();
  }

  @Test
  void aUsersNotBeforeRefusesOnlyThatUsersEarlierTokens() {
    VerifiedTokens cache = new VerifiedTokens(10);
    cache.put("old", ALICE, 10_000, 1_000, "j1", 99);
    cache.put("new", ALICE, 10_000, 1_000, "j2", 100);
    cache.put("bob", BOB, 10_000, 1_000, "j3", 50);
    RevokedTokens revoked = new RevokedTokens();
    revoked.revokeBefore(ALICE.userId(), 100);
    revoked.revokeBefore(ALICE.userId(), 90);

    cache.evict(revoked);

    assertThat(cache.get("old", 2_000)).isNull();
    assertThat(cache.get("new", 2_000)).as("a later, lower not-before does not lower it").isEqualTo(ALICE);
    assertThat(cache.get("bob", 2_000)).isEqualTo(BOB);
  }

  @Test
  void expiredRevocationsArePurged() {
    RevokedTokens revoked = new RevokedTokens();
    revoked.revoke("gone", 1_000);
    revoked.revoke("alive", 5_000);

    revoked.purge(2_000);

    assertThat(revoked.refuses("gone", ALICE.userId(), 1)).isFalse();
    assertThat(revoked.refuses("alive", ALICE.userId(), 1)).isTrue();
  }
}
