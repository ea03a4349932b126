package io.tenantry.ratelimit;

import io.tenantry.support.Await;
import io.tenantry.support.RedisProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** lease.lua and give-back.lua on a real Redis of the test's own (it flushes scripts, so not the shared one). */
class RedisBudgetStoreTest {
  private static RedisProcess redisServer;
  private static Vertx vertx;
  private static RedisLink redis;
  private static RedisBudgetStore store;
  private static final RateLimitCounters counters = new RateLimitCounters();

  @BeforeAll
  static void start() {
    redisServer = RedisProcess.start();
    vertx = Vertx.vertx();
    redis = new RedisLink(vertx, new RedisOptions().setConnectionString(redisServer.url()));
    store = new RedisBudgetStore(redis,
      Await.result(RedisScript.load(vertx, "ratelimit/lease.lua")),
      Await.result(RedisScript.load(vertx, "ratelimit/give-back.lua")), counters);
  }

  @AfterAll
  static void stop() {
    Await.result(redis.close());
    Await.result(vertx.close());
    redisServer.close();
  }

  private static Bucket bucket(int rate, int burst) {
    return Bucket.of(Bucket.tenantKey("test:", UUID.randomUUID()), rate, burst);
  }

  private static Grant lease(Bucket bucket, int want, int need) {
    return Await.result(store.lease(List.of(new Ask(bucket, want, need)))).get(0);
  }

  @Test
  void aBucketGrantsItsBurstThenRefusesWithTheWaitForTheNextRequest() {
    Bucket bucket = bucket(10, 20);
    assertThat(lease(bucket, 15, 1).granted()).isEqualTo(15);
    assertThat(lease(bucket, 15, 1).granted()).isEqualTo(5);
    Grant refused = lease(bucket, 15, 1);
    assertThat(refused.refused()).isTrue();
    assertThat(refused.granted()).isZero();
    assertThat(refused.waitMicros()).isBetween(1L, 100_000L);
    assertThat(refused.offset()).isBetween(1_900_000L, 2_000_000L);
  }

  @Test
  void theStateIsOneKeyThatExpiresWhenTheBucketIsFullAgain() {
    Bucket bucket = bucket(10, 20);
    lease(bucket, 5, 1);
    long pttl = Long.parseLong(redisServer.command("PTTL", bucket.key()).substring(1));
    assertThat(pttl).isBetween(400L, 502L);
  }

  @Test
  void severalBucketsGrantAllOrNothing() {
    UUID tenant = UUID.randomUUID();
    Bucket tenantBucket = Bucket.of(Bucket.tenantKey("test:", tenant), 10, 20);
    Bucket userBucket = Bucket.of(Bucket.userKey("test:", tenant, UUID.randomUUID()), 1, 2);
    List<Grant> first = Await.result(store.lease(List.of(new Ask(tenantBucket, 5, 1), new Ask(userBucket, 2, 1))));
    assertThat(first).extracting(Grant::granted).containsExactly(5, 2);
    List<Grant> second = Await.result(store.lease(List.of(new Ask(tenantBucket, 5, 1), new Ask(userBucket, 2, 1))));
    assertThat(second).extracting(Grant::granted).containsExactly(0, 0);
    assertThat(second.get(0).refused()).isFalse();
    assertThat(second.get(1).refused()).as("the user's bucket refused").isTrue();
    assertThat(lease(tenantBucket, 20, 1).granted()).as("the tenant's bucket gave nothing away").isEqualTo(15);
  }

  @Test
  void givingBackReturnsUnspentRequests() {
    Bucket bucket = bucket(1, 10);
    assertThat(lease(bucket, 10, 10).granted()).isEqualTo(10);
    Await.result(store.giveBack(bucket, 4));
    assertThat(lease(bucket, 10, 1).granted()).isEqualTo(4);
    Await.result(store.giveBack(bucket, 100));
    assertThat(redisServer.command("EXISTS", bucket.key())).as("a full bucket is no key").isEqualTo(":0");
  }

  @Test
  void aFlushedScriptIsLoadedAgainAndTheCallSucceeds() {
    Bucket bucket = bucket(10, 20);
    lease(bucket, 1, 1);
    assertThat(redisServer.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
    long before = counters.redisCalls();
    assertThat(lease(bucket, 1, 1).granted()).isEqualTo(1);
    assertThat(counters.redisCalls() - before).as("EVALSHA (NOSCRIPT), SCRIPT LOAD, EVALSHA").isEqualTo(3);
    before = counters.redisCalls();
    lease(bucket, 1, 1);
    assertThat(counters.redisCalls() - before).isEqualTo(1);
  }
}
