package io.tenantry.auth;

import io.tenantry.config.Config;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's arithmetic, on a clock that moves only when the test says so. */
class LoginThrottleTest {
  private static final String ALICE = LoginKeys.account("alice@example.test");
  private static final String BOB = LoginKeys.account("bob@example.test");
  private static final String HOME = "n:192.0.2.1";
  private static final String OFFICE = "n:192.0.2.2";

  /** Starts negative, as System.nanoTime may. */
  private final AtomicLong clock = new AtomicLong(-5_000_000_000_000L);

  private LoginThrottle throttle(int accountFailures, int addressFailures, int maxEntries) {
    return new LoginThrottle(new Config.LoginSettings(1, 1, accountFailures, addressFailures, 1, 60, 300, maxEntries, 0),
      clock::get);
  }

  private void advance(Duration by) {
    clock.addAndGet(by.toNanos());
  }

  private static void fail(LoginThrottle t, String account, String address, int times) {
    for (int i = 0; i < times; i++) {
      t.failed(account, address);
    }
  }

  @Test
  void belowTheThresholdNothingIsRefused() {
    LoginThrottle t = throttle(5, 20, 1000);
    assertThat(t.refused(ALICE, HOME)).isFalse();
    fail(t, ALICE, HOME, 4);
    assertThat(t.refused(ALICE, HOME)).isFalse();
  }

  @Test
  void theKthFailureRefusesTheAccountForTheBaseBackoffFromAnyAddress() {
    LoginThrottle t = throttle(5, 20, 1000);
    fail(t, ALICE, HOME, 5);
    assertThat(t.refused(ALICE, HOME)).isTrue();
    assertThat(t.refused(ALICE, OFFICE)).isTrue();
    assertThat(t.refused(BOB, HOME)).as("the address is below its own threshold").isFalse();
    advance(Duration.ofMillis(999));
    assertThat(t.refused(ALICE, OFFICE)).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(t.refused(ALICE, OFFICE)).isFalse();
  }

  @Test
  void eachFurtherFailureDoublesTheBackoffUpToTheCap() {
    LoginThrottle t = throttle(5, 1000, 1000);
    assertThat(t.backoffNanos(4, 5)).isZero();
    assertThat(t.backoffNanos(5, 5)).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(t.backoffNanos(6, 5)).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(t.backoffNanos(10, 5)).isEqualTo(Duration.ofSeconds(32).toNanos());
    assertThat(t.backoffNanos(11, 5)).isEqualTo(Duration.ofSeconds(60).toNanos());
    assertThat(t.backoffNanos(1_000_000, 5)).isEqualTo(Duration.ofSeconds(60).toNanos());

    fail(t, ALICE, HOME, 6); // 6th failure: 2 s
    advance(Duration.ofMillis(1999));
    assertThat(t.refused(ALICE, HOME)).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(t.refused(ALICE, HOME)).isFalse();
    t.failed(ALICE, HOME); // 7th, after the period: 4 s
    advance(Duration.ofMillis(3999));
    assertThat(t.refused(ALICE, HOME)).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(t.refused(ALICE, HOME)).isFalse();
  }

  @Test
  void theAddressThresholdRefusesEveryAccountFromThatAddressOnly() {
    LoginThrottle t = throttle(5, 20, 1000);
    for (int i = 0; i < 20; i++) {
      t.failed(LoginKeys.account("guess" + i + "@example.test"), HOME);
    }
    assertThat(t.refused(ALICE, HOME)).isTrue();
    assertThat(t.refused(ALICE, OFFICE)).isFalse();
  }

  @Test
  void aSuccessClearsTheAccountButNotTheAddress() {
    LoginThrottle t = throttle(5, 8, 1000);
    fail(t, ALICE, HOME, 4);
    t.succeeded(ALICE);
    fail(t, ALICE, HOME, 4);
    assertThat(t.refused(ALICE, OFFICE)).as("the account counts from zero again").isFalse();
    assertThat(t.refused(BOB, HOME)).as("the address has 8 failures").isTrue();
  }

  @Test
  void failuresAreForgottenAfterAQuietWindow() {
    LoginThrottle t = throttle(5, 20, 1000);
    fail(t, ALICE, HOME, 4);
    advance(Duration.ofSeconds(299));
    t.failed(ALICE, HOME);
    assertThat(t.refused(ALICE, HOME)).as("five failures, each within the window of the previous").isTrue();

    LoginThrottle fresh = throttle(5, 20, 1000);
    fail(fresh, ALICE, HOME, 4);
    advance(Duration.ofSeconds(300));
    fresh.failed(ALICE, HOME);
    assertThat(fresh.refused(ALICE, HOME)).as("the window passed: one failure").isFalse();
  }

  @Test
  void theWindowCountsFromTheEndOfARefusalPeriod() {
    LoginThrottle t = throttle(1, 1000, 1000);
    for (int i = 0; i < 7; i++) { // back-offs 1, 2, 4, ... 64 s, capped at 60
      t.failed(ALICE, HOME);
      advance(Duration.ofSeconds(60));
    }
    advance(Duration.ofSeconds(299));
    t.failed(ALICE, HOME);
    advance(Duration.ofSeconds(59));
    assertThat(t.refused(ALICE, HOME)).as("still at the cap, not back to 1 s").isTrue();
  }

  @Test
  void randomEmailsAndAddressesCannotGrowItBeyondMaxEntries() {
    LoginThrottle t = throttle(5, 20, 100);
    for (int i = 0; i < 10_000; i++) {
      t.failed(LoginKeys.account(i + "@random.test"), "n:198.51.100." + i);
      assertThat(t.size()).isLessThanOrEqualTo(100);
    }
    fail(t, ALICE, HOME, 5);
    assertThat(t.refused(ALICE, HOME)).as("the newest failures are kept").isTrue();
  }

  @Test
  void expiredEntriesAreDropped() {
    LoginThrottle t = throttle(5, 20, 1000);
    for (int i = 0; i < 50; i++) {
      t.failed(LoginKeys.account(i + "@random.test"), HOME);
    }
    advance(Duration.ofSeconds(3600));
    t.failed(ALICE, OFFICE);
    assertThat(t.size()).isEqualTo(2);
  }

  @Test
  void accountsAreComparedAsTheUserLookupDoes() {
    assertThat(LoginKeys.account("  Alice@Example.TEST ")).isEqualTo(ALICE);
    assertThat(LoginKeys.account("alice@example.test.")).isNotEqualTo(ALICE);
    assertThat(LoginKeys.account("x".repeat(10_000))).hasSizeLessThan(50);
  }

  @Test
  void addressesAreThePeerAndAnIpv6PeerItsSlash64() {
    assertThat(LoginKeys.address(SocketAddress.inetSocketAddress(1234, "192.0.2.1"))).isEqualTo(HOME);
    String a = LoginKeys.address(SocketAddress.inetSocketAddress(1234, "2001:db8:1:2:aaaa::1"));
    String b = LoginKeys.address(SocketAddress.inetSocketAddress(1234, "2001:db8:1:2:bbbb::2"));
    String other = LoginKeys.address(SocketAddress.inetSocketAddress(1234, "2001:db8:1:3::1"));
    assertThat(a).isEqualTo(b).isNotEqualTo(other).endsWith("/64");
  }
}
