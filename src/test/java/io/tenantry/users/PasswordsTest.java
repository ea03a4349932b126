package io.tenantry.users;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordsTest {
  private final Passwords passwords = new Passwords(1000);

  @Test
  void aHashVerifiesItsPasswordOnly() {
    String hash = passwords.hash("correct horse battery");
    assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct");
    assertThat(passwords.verify("correct horse battery", hash)).isTrue();
    assertThat(passwords.verify("correct horse batterY", hash)).isFalse();
  }

  @Test
  void saltsDiffer() {
    assertThat(passwords.hash("same")).isNotEqualTo(passwords.hash("same"));
  }

  @Test
  void theIterationCountIsReadFromTheStoredHash() {
    String older = new Passwords(2000).hash("pw");
    assertThat(passwords.verify("pw", older)).isTrue();
  }

  @Test
  void anUnknownUserNeverVerifiesButStillDoesTheWork() {
    assertThat(passwords.verify("anything", null)).isFalse();
  }

  @Test
  void aMalformedStoredHashDoesNotVerify() {
    assertThat(passwords.verify("pw", "plain-text")).isFalse();
  }
}
