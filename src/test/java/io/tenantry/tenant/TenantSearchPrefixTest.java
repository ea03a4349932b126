package io.tenantry.tenant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenantSearchPrefixTest {
  @Test
  void likeWildcardsAndTheEscapeCharacterAreTakenLiterally() {
    assertThat(TenantSearch.likePrefix("acme")).isEqualTo("acme%");
    assertThat(TenantSearch.likePrefix("50%_off\\")).isEqualTo("50\\%\\_off\\\\%");
  }
}
