package io.tenantry.tenant;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A mapped custom domain names its tenant by id; the spelling of the host (case, port, trailing dot) does not matter. */
class CustomDomainSourcesTest {
  private final UUID acme = UUID.randomUUID();
  private final TenantSources sources = new TenantSources("api.example.com", Map.of("notes.acme.org", acme)::get);

  @Test
  void aMappedHostNamesItsTenantById() {
    for (String host : new String[] {"notes.acme.org", "NOTES.Acme.org:8443", "notes.acme.org."}) {
      List<TenantRef> refs = sources.collect(null, null, host, null);
      assertThat(refs).as(host).containsExactly(TenantRef.ofId(TenantRef.Source.HOST, acme));
    }
  }

  @Test
  void otherHostsAreUnaffected() {
    assertThat(sources.collect(null, null, "unmapped.example.org", null)).isEmpty();
    assertThat(sources.collect(null, null, "[::1]:8080", null)).isEmpty();
    assertThat(sources.collect(null, null, "acme.api.example.com", null))
      .containsExactly(TenantRef.ofSlug(TenantRef.Source.HOST, "acme"));
  }
}
