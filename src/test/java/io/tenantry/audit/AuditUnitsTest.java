package io.tenantry.audit;

import io.tenantry.http.Problem;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts: the chain's link, action filters, outcomes and the names the hooks give requests. */
class AuditUnitsTest {
  private static AuditRow row(String action, String detail) {
    return new AuditRow(UUID.fromString("00000000-0000-0000-0000-000000000001"),
      UUID.fromString("00000000-0000-7000-8000-000000000002"),
      OffsetDateTime.of(2026, 11, 30, 12, 0, 0, 123_456_000, ZoneOffset.UTC), null, null, null, action, "notes/x",
      "success", 201, "req", "127.0.0.1", detail);
  }

  @Test
  void everyFieldTakesPartInTheLinkAndTheTimeZoneDoesNot() {
    byte[] base = AuditChain.link(AuditChain.GENESIS, row("record.create", null));
    assertThat(base).hasSize(32);
    assertThat(AuditChain.link(AuditChain.GENESIS, row("record.create", null))).isEqualTo(base);
    assertThat(AuditChain.link(AuditChain.GENESIS, row("record.update", null))).isNotEqualTo(base);
    assertThat(AuditChain.link(AuditChain.GENESIS, row("record.create", "{}"))).isNotEqualTo(base);
    assertThat(AuditChain.link(base, row("record.create", null))).isNotEqualTo(base);
    AuditRow shifted = row("record.create", null);
    shifted = new AuditRow(shifted.tenantId(), shifted.id(), shifted.at().withOffsetSameInstant(ZoneOffset.ofHours(5)),
      null, null, null, shifted.action(), shifted.target(), shifted.outcome(), shifted.status(), shifted.requestId(),
      shifted.clientAddress(), null);
    assertThat(AuditChain.link(AuditChain.GENESIS, shifted)).isEqualTo(base);
  }

  @Test
  void fieldsCannotBeShiftedIntoEachOther() {
    AuditRow a = new AuditRow(null, null, OffsetDateTime.now(), null, null, null, "a|b", "c", "success", null, null, null, null);
    AuditRow b = new AuditRow(null, null, a.at(), null, null, null, "a", "b|c", "success", null, null, null, null);
    assertThat(AuditChain.link(AuditChain.GENESIS, a)).isNotEqualTo(AuditChain.link(AuditChain.GENESIS, b));
  }

  @Test
  void actionsFilterExactlyOrByPrefixWithLikeWildcardsEscaped() {
    assertThat(AuditEndpoints.actionPattern(null)).isNull();
    assertThat(AuditEndpoints.actionPattern("record.create")).isEqualTo("record.create");
    assertThat(AuditEndpoints.actionPattern("record.*")).isEqualTo("record.%");
    assertThat(AuditEndpoints.actionPattern("a_b%")).isEqualTo("a\\_b\\%");
    assertThatThrownBy(() -> AuditEndpoints.actionPattern("re*cord")).isInstanceOf(Problem.class);
  }

  @Test
  void statusesMapToOutcomes() {
    assertThat(AuditEntry.outcomeOf(201)).isEqualTo("success");
    assertThat(AuditEntry.outcomeOf(401)).isEqualTo("denied");
    assertThat(AuditEntry.outcomeOf(403)).isEqualTo("denied");
    assertThat(AuditEntry.outcomeOf(429)).isEqualTo("denied");
    assertThat(AuditEntry.outcomeOf(404)).isEqualTo("failed");
    assertThat(AuditEntry.outcomeOf(503)).isEqualTo("failed");
  }

  @Test
  void hooksNameRequestsAndTheirTenant() {
    assertThat(AuditHooks.dataAction("/api/v1/collections/notes/records", HttpMethod.POST)).isEqualTo("record.create");
    assertThat(AuditHooks.dataAction("/api/v1/collections/notes/records/x", HttpMethod.PATCH)).isEqualTo("record.update");
    assertThat(AuditHooks.dataAction("/api/v1/config/locale", HttpMethod.DELETE)).isEqualTo("config.delete");
    assertThat(AuditHooks.dataAction("/api/v1/collections/notes/records", HttpMethod.GET)).isEqualTo("record.read");
    assertThat(AuditHooks.tenantSlug("/admin/v1/tenants/acme/suspend")).isEqualTo("acme");
    assertThat(AuditHooks.tenantSlug("/admin/v1/tenants/acme")).isEqualTo("acme");
    assertThat(AuditHooks.tenantSlug("/admin/v1/tenants")).isNull();
    assertThat(AuditHooks.tenantSlug("/admin/v1/plans/gold")).isNull();
  }
}
