package io.tenantry.tenant;

import io.tenantry.http.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantSourcesTest {
  private final TenantSources sources = new TenantSources("api.example.com");

  @Test
  void collectsEverySourceInOrderOfTrust() {
    UUID claim = UUID.randomUUID();
    List<TenantRef> refs = sources.collect(claim, "acme", "acme.api.example.com", "acme");
    assertThat(refs).extracting(TenantRef::source)
      .containsExactly(TenantRef.Source.TOKEN, TenantRef.Source.HEADER, TenantRef.Source.HOST, TenantRef.Source.PATH);
    assertThat(refs.get(0).id()).isEqualTo(claim);
  }

  @Test
  void aHeaderIsAnIdWhenItIsAUuidAndASlugOtherwise() {
    UUID id = UUID.randomUUID();
    assertThat(sources.collect(null, id.toString(), null, null).get(0).id()).isEqualTo(id);
    assertThat(sources.collect(null, " acme ", null, null).get(0).slug()).isEqualTo("acme");
    assertThat(sources.collect(null, "1-1-1-1-1", null, null).get(0).slug()).isEqualTo("1-1-1-1-1");
  }

  @Test
  void onlyHttpWhitespaceIsStrippedFromTheHeader() {
    assertThat(sources.collect(null, "\tacme ", null, null).get(0).slug()).isEqualTo("acme");
    assertThat(sources.collect(null, "acme\u0001", null, null).get(0).slug()).isEqualTo("acme\u0001");
    assertThat(sources.collect(null, "acme\u000b", null, null).get(0).slug()).isEqualTo("acme\u000b");
  }

  @Test
  void anEmptyHeaderIsBadRequest() {
    assertThatThrownBy(() -> sources.collect(null, " ", null, null)).isInstanceOf(Problem.class)
      .extracting("status").isEqualTo(400);
  }

  @Test
  void hostsUnderTheBaseDomainOrLocalhostNameATenant() {
    assertThat(sources.hostSlug("acme.api.example.com")).isEqualTo("acme");
    assertThat(sources.hostSlug("ACME.API.EXAMPLE.COM:8443")).isEqualTo("acme");
    assertThat(sources.hostSlug("acme.api.example.com.")).isEqualTo("acme");
    assertThat(sources.hostSlug("acme.localhost:8080")).isEqualTo("acme");
  }

  @Test
  void otherHostsNameNoTenant() {
    assertThat(sources.hostSlug(null)).isNull();
    assertThat(sources.hostSlug("api.example.com")).isNull();
    assertThat(sources.hostSlug("localhost:8080")).isNull();
    assertThat(sources.hostSlug("127.0.0.1:8080")).isNull();
    assertThat(sources.hostSlug("[::1]:8080")).isNull();
    assertThat(sources.hostSlug("acme.evil-api.example.com.attacker.net")).isNull();
    assertThat(sources.hostSlug("xapi.example.com")).isNull();
  }

  @Test
  void nestedSubdomainsAreBadRequest() {
    assertThatThrownBy(() -> sources.hostSlug("a.b.api.example.com")).isInstanceOf(Problem.class);
  }
}
