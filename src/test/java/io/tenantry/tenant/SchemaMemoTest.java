package io.tenantry.tenant;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-schema statement texts are derived once while in use and do not pile up for schemas no longer used. */
class SchemaMemoTest {
  private final AtomicInteger derived = new AtomicInteger();

  private String derive(String schema) {
    derived.incrementAndGet();
    return "SELECT 1 FROM " + schema + ".records";
  }

  @Test
  void aSchemaInUseIsDerivedOnce() {
    SchemaMemo<String> memo = new SchemaMemo<>(this::derive, 4);
    for (int i = 0; i < 100; i++) {
      assertThat(memo.of("shared")).isEqualTo("SELECT 1 FROM shared.records");
    }
    assertThat(derived.get()).isEqualTo(1);
  }

  @Test
  void schemasNoLongerUsedLeaveTheMemoWhileTheSharedOneStays() {
    SchemaMemo<String> memo = new SchemaMemo<>(this::derive, 8);
    for (int i = 0; i < 10_000; i++) {
      memo.of("t_" + i); // each schema tenant once, as after a burst of tenants that then go quiet or are deleted
      memo.of("shared");
      assertThat(memo.size()).as("about the bound: what was read since the last trim survives it").isLessThanOrEqualTo(10);
    }
    int before = derived.get();
    memo.of("shared");
    assertThat(derived.get()).as("the schema read by every request was never dropped").isEqualTo(before);
  }

  @Test
  void aMissWhileAnotherTrimRunsLeavesTheTrimToIt() {
    SchemaMemo<String> memo = new SchemaMemo<>(this::derive, 2);
    memo.trimming.set(true); // as if another thread were trimming right now
    for (int i = 0; i < 5; i++) {
      memo.of("t_" + i);
    }
    assertThat(memo.size()).as("no second trim started beside the running one").isEqualTo(5);
    memo.trimming.set(false);
    memo.of("t_5"); // every entry was read since the last trim: this trim only marks them
    memo.of("t_6");
    assertThat(memo.size()).as("the next miss trims the entries not read again").isLessThanOrEqualTo(2);
  }
}
