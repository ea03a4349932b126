package io.tenantry.ratelimit;

import io.tenantry.http.Problem;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a plan and an override combine, and what GET .../limits reports as the source of each value. */
class LimitOverrideTest {
  private static final Plan PLAN = new Plan("default", new Limits(100, 200, null, null, 1));
  private static final UUID TENANT = UUID.randomUUID();

  @Test
  void noOverrideMeansThePlanEverywhere() {
    TenantLimits limits = TenantLimits.of(TENANT, PLAN, LimitOverride.NONE);
    assertThat(limits.effective()).isEqualTo(PLAN.limits());
    JsonObject json = limits.toJson("acme");
    assertThat(json.getJsonObject("sources").getString("rate")).isEqualTo("plan");
    assertThat(json.getJsonObject("sources").getString("user_rate")).isNull();
    assertThat(json.getValue("override")).isNull();
  }

  @Test
  void eachOverriddenValueReplacesThePlansAndSaysSo() {
    LimitOverride override = new LimitOverride(5, null, 2, 4, 3);
    TenantLimits limits = TenantLimits.of(TENANT, PLAN, override);
    assertThat(limits.effective()).isEqualTo(new Limits(5, 200, 2, 4, 3));
    JsonObject sources = limits.toJson("acme").getJsonObject("sources");
    assertThat(sources.getString("rate")).isEqualTo("override");
    assertThat(sources.getString("burst")).isEqualTo("plan");
    assertThat(sources.getString("user_rate")).isEqualTo("override");
    assertThat(sources.getString("write_cost")).isEqualTo("override");
  }

  @Test
  void aUserRateWithoutABurstFromEitherSideIsABadRequest() {
    LimitOverride override = new LimitOverride(null, null, 2, null, null);
    assertThatThrownBy(() -> override.checkAgainst(PLAN.limits()))
      .isInstanceOf(Problem.class).extracting("status").isEqualTo(400);
    override.checkAgainst(new Limits(1, 1, 9, 9, 1)); // the plan supplies the burst
  }

  @Test
  void storedDataThatNoLongerPairsUpMeansNoUserSubLimitRatherThanFailedRequests() {
    LimitOverride override = new LimitOverride(null, null, 2, null, null);
    assertThat(override.applyTo(PLAN.limits()).hasUserLimit()).isFalse();
  }

  @Test
  void bodyValuesMustBeWholeNumbersInRange() {
    assertThat(LimitsJson.override(new JsonObject().put("rate", 5).putNull("burst"))).isEqualTo(new LimitOverride(5, null, null, null, null));
    for (Object bad : new Object[] {0, -1, 1.5, "5", 1_000_001}) {
      assertThatThrownBy(() -> LimitsJson.override(new JsonObject().put("rate", bad)))
        .as("rate %s", bad).isInstanceOf(Problem.class).hasMessageContaining("rate");
    }
    assertThatThrownBy(() -> LimitsJson.override(new JsonObject().put("write_cost", 101))).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> LimitsJson.plan(new JsonObject().put("rate", 5))).hasMessageContaining("burst is required");
  }
}
