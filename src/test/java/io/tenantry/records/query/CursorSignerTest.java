package io.tenantry.records.query;

import io.tenantry.http.Problem;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorSignerTest {
  private final CursorSigner signer = new CursorSigner("key material".getBytes(StandardCharsets.UTF_8));

  @Test
  void aCursorVerifiesInItsOwnScopeOnly() {
    JsonObject position = new JsonObject().put("i", "0190a0b0-0000-7000-8000-000000000001").put("k", "42");
    String cursor = signer.sign("scope-a", position);
    assertThat(signer.verify("scope-a", cursor)).isEqualTo(position);
    assertThatThrownBy(() -> signer.verify("scope-b", cursor)).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> new CursorSigner("other key".getBytes(StandardCharsets.UTF_8)).verify("scope-a", cursor))
      .isInstanceOf(Problem.class);
    String altered = cursor.replace(cursor.substring(2, 3), cursor.charAt(2) == 'Q' ? "R" : "Q");
    assertThatThrownBy(() -> signer.verify("scope-a", altered)).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> signer.verify("scope-a", "no-dot")).isInstanceOf(Problem.class);
  }

  @Test
  void hkdfMatchesRfc5869TestCase3() {
    // RFC 5869 A.3: IKM 22 bytes of 0x0b, no salt, no info, L = 42
    byte[] ikm = new byte[22];
    java.util.Arrays.fill(ikm, (byte) 0x0b);
    assertThat(java.util.HexFormat.of().formatHex(CursorSigner.hkdf(ikm, new byte[0], 42)))
      .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }
}
