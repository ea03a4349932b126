package io.tenantry.provisioning;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The SCAN pattern of a tenant's keys matches its hash tag under the prefix, and nothing the prefix could widen. */
class TenantRedisKeysTest {
  private static final UUID ID = UUID.fromString("01a22c5b-481e-7000-80f5-6f22df3213f7");

  @Test
  void thePatternIsThePrefixAndTheTenantsHashTag() {
    assertThat(new TenantRedisKeys(null, null, "tenantry:").pattern(ID)).isEqualTo("tenantry:{t:" + ID + "}*");
  }

  @Test
  void globCharactersInThePrefixAreEscaped() {
    assertThat(new TenantRedisKeys(null, null, "a*b?c[d]e\\f:").pattern(ID))
      .isEqualTo("a\\*b\\?c\\[d\\]e\\\\f:{t:" + ID + "}*");
  }
}
