package io.tenantry.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The limit math, on a clock the test moves (µs). */
class GcraTest {
  private static final long SECOND = 1_000_000;
  private final Bucket tenPerSecondBurstTwenty = Bucket.of("k", 10, 20);

  @Test
  void aFullBucketAdmitsExactlyTheBurstAtOnce() {
    Gcra gcra = new Gcra(tenPerSecondBurstTwenty);
    long now = 5 * SECOND;
    for (int i = 0; i < 20; i++) {
      assertThat(gcra.take(now, 1, 1).granted()).as("request %d", i + 1).isEqualTo(1);
    }
    Grant refused = gcra.take(now, 1, 1);
    assertThat(refused.refused()).isTrue();
    assertThat(refused.waitMicros()).isEqualTo(SECOND / 10);
    assertThat(refused.offset()).isEqualTo(2 * SECOND);
  }

  @Test
  void thenItAdmitsTheRateAndNoMore() {
    Gcra gcra = new Gcra(tenPerSecondBurstTwenty);
    long now = 0;
    gcra.take(now, 20, 20);
    int admitted = 0;
    for (long t = 0; t <= 3 * SECOND; t += 1000) { // a request every ms for 3 s
      admitted += gcra.take(now + t, 1, 1).granted();
    }
    assertThat(admitted).isEqualTo(30);
  }

  @Test
  void aRequestRefusedNowPassesExactlyAfterItsWait() {
    Gcra gcra = new Gcra(tenPerSecondBurstTwenty);
    gcra.take(0, 20, 20);
    Grant refused = gcra.take(30_000, 1, 1);
    assertThat(refused.waitMicros()).isEqualTo(70_000);
    assertThat(gcra.take(30_000 + refused.waitMicros() - 1, 1, 1).refused()).isTrue();
    assertThat(gcra.take(30_000 + refused.waitMicros(), 1, 1).granted()).isEqualTo(1);
  }

  @Test
  void aLeaseTakesWhatIsFreeUpToWhatItWantsAndNothingBelowItsNeed() {
    Gcra gcra = new Gcra(tenPerSecondBurstTwenty);
    assertThat(gcra.take(0, 15, 1).granted()).isEqualTo(15);
    assertThat(gcra.take(0, 15, 1).granted()).isEqualTo(5);
    assertThat(gcra.take(0, 15, 1).refused()).isTrue();
    gcra.giveBack(0, 3);
    Grant partial = gcra.take(0, 5, 4);
    assertThat(partial.refused()).isTrue();
    assertThat(partial.granted()).isZero();
    assertThat(gcra.take(0, 5, 3).granted()).isEqualTo(3);
  }

  @Test
  void givingBackNeverFillsTheBucketBeyondItsBurst() {
    Gcra gcra = new Gcra(tenPerSecondBurstTwenty);
    gcra.take(0, 5, 5);
    gcra.giveBack(10 * SECOND, 5); // long since refilled
    assertThat(gcra.offset(10 * SECOND)).isZero();
    assertThat(gcra.take(10 * SECOND, 100, 1).granted()).isEqualTo(20);
  }

  @Test
  void aNodesShareIsTheRateAndBurstDividedByTheNodes() {
    Bucket share = Bucket.of("k", 10, 20).share(4);
    assertThat(share.burst()).isEqualTo(5);
    assertThat(share.interval()).isEqualTo(400_000); // 2.5 per second
    assertThat(Bucket.of("k", 1, 3).share(4).burst()).as("never below one").isEqualTo(1);
    assertThat(Bucket.of("k", 10, 20).share(1)).isEqualTo(Bucket.of("k", 10, 20));
  }

  @Test
  void leaseSizeIsAQuarterOfTheBurstSplitOverTheNodesWithinItsBounds() {
    assertThat(LeaseSize.of(200, 1, 20)).isEqualTo(20);
    assertThat(LeaseSize.of(200, 4, 20)).isEqualTo(12);
    assertThat(LeaseSize.of(20, 1, 20)).isEqualTo(5);
    assertThat(LeaseSize.of(3, 2, 20)).isEqualTo(1);
    assertThat(LeaseSize.of(10_000, 1, 1)).isEqualTo(1);
  }

  @Test
  void keysAreHashTaggedByTenantId() {
    java.util.UUID tenant = java.util.UUID.fromString("0190d1a2-0000-7000-8000-000000000001");
    java.util.UUID user = java.util.UUID.fromString("0190d1a2-0000-7000-8000-000000000002");
    assertThat(Bucket.tenantKey("tenantry:", tenant)).isEqualTo("tenantry:{t:" + tenant + "}:rl");
    assertThat(Bucket.userKey("tenantry:", tenant, user)).isEqualTo("tenantry:{t:" + tenant + "}:rl:u:" + user);
  }
}
