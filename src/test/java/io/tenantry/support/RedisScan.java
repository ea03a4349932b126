package io.tenantry.support;

import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/** Redis keys found as an operator would: SCAN over a test's own prefix. */
public final class RedisScan {
  private RedisScan() {
  }

  /** The keys of one tenant ({@code <prefix>{t:<id>}...}). */
  public static List<String> tenantKeys(Redis redis, String prefix, String tenantId) {
    RedisAPI api = RedisAPI.api(redis);
    String pattern = prefix + "{t:" + tenantId + "}*";
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response page = Await.result(api.scan(List.of(cursor, "MATCH", pattern, "COUNT", "1000")), 10);
      cursor = page.get(0).toString();
      page.get(1).forEach(key -> keys.add(key.toString()));
    } while (!cursor.equals("0"));
    return keys;
  }
}
