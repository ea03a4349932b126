package io.tenantry.auth;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TokenTextTest {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private static String segment(int bytes, Random random) {
    byte[] data = new byte[bytes];
    random.nextBytes(data);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
  }

  @Test
  void everyCanonicalEncodingIsAcceptedAndEveryOtherSpellingOfTheSameBytesRefused() {
    Random random = new Random(7);
    for (int bytes = 1; bytes <= 40; bytes++) {
      String canonical = segment(bytes, random);
      String token = "eyJhbGciOiJSUzI1NiJ9." + canonical + "." + canonical;
      assertThat(TokenText.isCanonical(token)).as(token).isTrue();
      int unused = bytes % 3 == 1 ? 4 : bytes % 3 == 2 ? 2 : 0;
      for (int bits = 1; bits < (1 << unused); bits++) {
        char last = canonical.charAt(canonical.length() - 1);
        String respelled = canonical.substring(0, canonical.length() - 1) + ALPHABET.charAt(ALPHABET.indexOf(last) | bits);
        assertThat(Base64.getUrlDecoder().decode(respelled)).isEqualTo(Base64.getUrlDecoder().decode(canonical));
        assertThat(TokenText.isCanonical("eyJhbGciOiJSUzI1NiJ9." + respelled + "." + canonical)).as(respelled).isFalse();
        assertThat(TokenText.isCanonical("eyJhbGciOiJSUzI1NiJ9." + canonical + "." + respelled)).as(respelled).isFalse();
      }
      String padded = Base64.getUrlEncoder().encodeToString(Base64.getUrlDecoder().decode(canonical));
      if (!padded.equals(canonical)) {
        assertThat(TokenText.isCanonical("eyJhbGciOiJSUzI1NiJ9." + canonical + "." + padded)).isFalse();
      }
    }
  }

  @Test
  void shapesThatAreNotThreeBase64urlSegmentsAreRefused() {
    for (String bad : new String[] {"", "a", "a.b", "AA.AA", "AA.AA.AA.AA", "AA..AA", ".AA.AA", "AA.AA.", "AA.AA.A",
      "AA.A A.AA", "AA.AA.AA ", "AA.A+.AA", "AA.A/.AA", "AA.AA.AA=", "AA.AA.é", "AA.AA.\u0000A"}) {
      assertThat(TokenText.isCanonical(bad)).as("'%s'", bad).isFalse();
    }
    assertThat(TokenText.isCanonical("AA.AA.AA")).isTrue();
  }
}
