package io.tenantry.records;

import io.tenantry.http.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IfMatchTest {

  @Test
  void absentMatchesAnything() {
    assertThat(IfMatch.parse(null).matches(7)).isTrue();
  }

  @Test
  void starMatchesAnyExistingVersion() {
    assertThat(IfMatch.parse("*").matches(7)).isTrue();
  }

  @Test
  void strongTagsMatchTheirVersionOnly() {
    assertThat(IfMatch.parse("\"7\"").matches(7)).isTrue();
    assertThat(IfMatch.parse("\"6\"").matches(7)).isFalse();
    assertThat(IfMatch.parse("\"5\", \"7\"").matches(7)).isTrue();
  }

  @Test
  void weakOrForeignTagsNeverMatch() {
    assertThat(IfMatch.parse("W/\"7\"").matches(7)).isFalse();
    assertThat(IfMatch.parse("7").matches(7)).isFalse();
    assertThat(IfMatch.parse("\"abc\"").matches(7)).isFalse();
    assertThat(IfMatch.parse("").matches(7)).isFalse();
  }

  @Test
  void checkFailsWith412() {
    assertThatThrownBy(() -> IfMatch.parse("\"1\"").check(2)).isInstanceOf(Problem.class).extracting("status").isEqualTo(412);
  }
}
