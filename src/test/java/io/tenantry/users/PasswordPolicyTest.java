package io.tenantry.users;

import io.tenantry.http.Problem;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy itself: length, the bundled common-password list (case-insensitive), and what a refusal says. */
class PasswordPolicyTest {
  private static Vertx vertx;
  private static PasswordPolicy policy;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    policy = PasswordPolicy.load(vertx, 12).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @Test
  void aShortPasswordIsRefusedWithTheMinimum() {
    Problem refusal = policy.refusal("short-pw");
    assertThat(refusal).isNotNull();
    assertThat(refusal.status()).isEqualTo(400);
    assertThat(refusal.getMessage()).contains("12 characters").doesNotContain("short-pw");
    assertThat(policy.refusal(null)).isNotNull();
  }

  @Test
  void aCommonPasswordIsRefusedWhateverItsCase() {
    for (String common : new String[] {"qwertyuiop123", "1qaz2wsx3edc", "QwErTyUiOp123", "123456789012"}) {
      Problem refusal = policy.refusal(common);
      assertThat(refusal).as(common).isNotNull();
      assertThat(refusal.getMessage()).contains("common").doesNotContain(common);
    }
  }

  @Test
  void aLongUncommonPasswordIsAccepted() {
    assertThat(policy.refusal("correct horse battery staple 7")).isNull();
    assertThat(policy.refusal("password-of-someone@example.test")).isNull();
  }

  @Test
  void theBundledListIsLoaded() {
    assertThat(policy.refusal("password")).isNotNull();
    assertThat(policy.refusal("iloveyou")).isNotNull();
    assertThat(PasswordPolicy.class.getClassLoader().getResource(PasswordPolicy.LIST)).isNotNull();
  }
}
