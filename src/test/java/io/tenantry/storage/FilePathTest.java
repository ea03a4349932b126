package io.tenantry.storage;

import io.tenantry.http.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every rule of a tenant's file path (part of the isolation logic: a path that a downstream tool could read as a
 * traversal must never be stored), rule by rule; FileStorageTest drives the same rules through the HTTP API.
 */
class FilePathTest {
  private static void refused(String raw, String why) {
    assertThatThrownBy(() -> FilePath.parse(raw))
      .isInstanceOfSatisfying(Problem.class, p -> {
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.detail()).startsWith(why).endsWith(FilePath.RULES);
      });
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "docs/report.pdf", "a/b/c", "Grüße/ünïcödé.txt", "emoji-\uD83D\uDE00.png", "..a/b..",
    ".hidden/x", "with space/\u00a0nbsp", "tilde~/$dollar"})
  void acceptsWellFormedPaths(String raw) {
    assertThat(FilePath.parse(raw).value()).isEqualTo(raw);
  }

  @Test
  void refusesEmptyAndTooLongPaths() {
    refused(null, "the path is empty");
    refused("", "the path is empty");
    assertThat(FilePath.parse("a".repeat(FilePath.MAX_BYTES)).value()).hasSize(FilePath.MAX_BYTES);
    refused("a".repeat(FilePath.MAX_BYTES + 1), "the path is longer than 1024 bytes");
    // counted in UTF-8 bytes, not chars: 513 two-byte characters are 1,026 bytes
    refused("é".repeat(513), "the path is longer than 1024 bytes");
  }

  @Test
  void refusesPathsNotInNfc() {
    refused("e\u0301.txt", "the path is not in Unicode NFC");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "a\u001fb", "a\u007fb", "a\u0080b", "a\u009fb", "a\\b", "..\\..\\etc",
    "a%2e%2e/b", "%252e", "a\ufffdb", "a\uD800", "a\uD800b", "\uDC00a", "a\uDC00"})
  void refusesCharactersThatAreNotAllowed(String raw) {
    refused(raw, "the path contains a character that is not allowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a", "a/", "a//b", ".", "..", "a/./b", "a/../b", "../etc/passwd", "a/.."})
  void refusesEmptyDotAndDotDotSegments(String raw) {
    refused(raw, "the path has an empty, '.' or '..' segment");
  }

  @Test
  void aPrefixMayBeEmptyOrEndWithASlashButFollowsTheSameRules() {
    assertThat(FilePath.prefix(null)).isEmpty();
    assertThat(FilePath.prefix("")).isEmpty();
    assertThat(FilePath.prefix("docs/")).isEqualTo("docs/");
    assertThat(FilePath.prefix("docs/rep")).isEqualTo("docs/rep");
    assertThatThrownBy(() -> FilePath.prefix("../")).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> FilePath.prefix("a//")).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> FilePath.prefix("a%/")).isInstanceOf(Problem.class);
  }
}
