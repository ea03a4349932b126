package io.tenantry.colschema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationErrorsTest {
  @Test
  void locationsBecomeJsonPointersIntoTheRecord() {
    assertThat(ValidationErrors.pointer("#")).isEmpty();
    assertThat(ValidationErrors.pointer("#/tags/1")).isEqualTo("/tags/1");
    assertThat(ValidationErrors.pointer("#/a~1b")).as("RFC 6901 escapes stay").isEqualTo("/a~1b");
    assertThat(ValidationErrors.pointer("#/a%20b/%C3%A9%25")).isEqualTo("/a b/é%");
    assertThat(ValidationErrors.pointer("#/50%")).as("a stray percent stays").isEqualTo("/50%");
    assertThat(ValidationErrors.pointer(null)).isEmpty();
  }
}
