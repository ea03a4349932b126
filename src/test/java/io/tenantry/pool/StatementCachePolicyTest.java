package io.tenantry.pool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statement cache holds the statements every tenant shares and a bounded set of schema tenants' statements, so
 * that the number of schema tenants cannot make the cache churn.
 */
class StatementCachePolicyTest {
  private static String schemaGet(int tenant) {
    return "SELECT id, version, data FROM \"t_" + String.format("%032x", tenant) + "\".records WHERE tenant_id = $1";
  }

  @Test
  void statementsWhoseNumberDoesNotGrowWithTenantsAreAlwaysCached() {
    StatementCachePolicy policy = new StatementCachePolicy(1);
    assertThat(policy.test("SELECT id FROM shared.records WHERE tenant_id = $1")).isTrue();
    assertThat(policy.test("SELECT id FROM tenant.records WHERE tenant_id = $1")).isTrue();
    assertThat(policy.test("SELECT " + "x, ".repeat(1000) + "1")).as("Vert.x's length limit kept").isFalse();
  }

  @Test
  void atMostTheResidentSchemaTenantsAreCachedAndTheOthersRunUnprepared() {
    StatementCachePolicy policy = new StatementCachePolicy(3);
    for (int t = 0; t < 3; t++) {
      assertThat(policy.test(schemaGet(t))).isTrue();
    }
    for (int t = 3; t < 1000; t++) {
      assertThat(policy.test(schemaGet(t))).as("tenant %d", t).isFalse();
      assertThat(policy.test(schemaGet(t % 3))).as("residents stay while used").isTrue();
    }
    assertThat(policy.residentSchemas()).isEqualTo(3);
  }

  @Test
  void residentsNoLongerUsedMakeRoomForActiveTenants() {
    StatementCachePolicy policy = new StatementCachePolicy(2);
    policy.test(schemaGet(1));
    policy.test(schemaGet(2)); // both go quiet (or are deleted)
    boolean admitted = false;
    for (int i = 0; i < 3 * StatementCachePolicy.TRIM_EVERY && !admitted; i++) {
      admitted = policy.test(schemaGet(3));
    }
    assertThat(admitted).as("a newcomer gets in after two trims").isTrue();
    assertThat(policy.residentSchemas()).isLessThanOrEqualTo(2);
  }

  @Test
  void theShippedCacheOf1024KeepsRoomFor128SchemaTenants() {
    assertThat(StatementCachePolicy.forCacheSize(1024).maxResidentSchemas()).isEqualTo(128);
  }

  @Test
  void aSchemaNameWithoutItsClosingQuoteIsNotCountedAsAResident() {
    StatementCachePolicy policy = new StatementCachePolicy(1);
    assertThat(policy.test("SELECT 1 FROM \"t_unterminated")).isTrue();
    assertThat(policy.residentSchemas()).isZero();
  }

  @Test
  void aDenialWhileAnotherTrimRunsLeavesTheTrimToIt() {
    StatementCachePolicy policy = new StatementCachePolicy(1);
    policy.test(schemaGet(1)); // resident, then quiet
    policy.trimming.set(true); // as if another thread were trimming right now
    for (int i = 0; i < 3 * StatementCachePolicy.TRIM_EVERY; i++) {
      assertThat(policy.test(schemaGet(2))).isFalse();
    }
    assertThat(policy.residentSchemas()).as("no trim ran beside the running one").isEqualTo(1);
    policy.trimming.set(false);
    boolean admitted = false;
    for (int i = 0; i < 3 * StatementCachePolicy.TRIM_EVERY && !admitted; i++) {
      admitted = policy.test(schemaGet(2));
    }
    assertThat(admitted).as("trims resume once the other one is done").isTrue();
  }
}
