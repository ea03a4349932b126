package io.tenantry.provisioning;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Removes a deleted tenant's keys from Redis: every key of a tenant carries its {@code {t:<id>}} hash tag after the
 * deployment's prefix (rate-limit buckets today), so one SCAN pattern finds them all. A request that was already
 * being rate-limited when the tenant was deleted can still write its bucket just after the first pass, so a
 * second pass runs a few seconds later. Failures are logged, never fail the deletion: the keys also expire.
 */
public final class TenantRedisKeys {
  private static final Logger LOG = LoggerFactory.getLogger(TenantRedisKeys.class);
  static final long LATE_PASS_MS = 5_000;
  private static final long TIMEOUT_MS = 5_000;
  private static final String PAGE = "500";

  private final Vertx vertx;
  private final RedisAPI redis;
  private final String prefix;

  public TenantRedisKeys(Vertx vertx, RedisAPI redis, String prefix) {
    this.vertx = vertx;
    this.redis = redis;
    this.prefix = prefix;
  }

  /** Removes the tenant's keys now and once more after {@link #LATE_PASS_MS}; completes after the first pass. */
  public Future<Void> remove(UUID tenantId) {
    vertx.setTimer(LATE_PASS_MS, id -> purge(tenantId));
    return purge(tenantId);
  }

  private Future<Void> purge(UUID tenantId) {
    return page(pattern(tenantId), "0", 0)
      .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onSuccess(removed -> {
        if (removed > 0) {
          LOG.info("removed {} Redis key(s) of deleted tenant {}", removed, tenantId);
        }
      })
      .otherwise(e -> {
        LOG.warn("could not remove the Redis keys of deleted tenant {} ({}); they expire on their own", tenantId, e.toString());
        return 0;
      })
      .mapEmpty();
  }

  private Future<Integer> page(String pattern, String cursor, int removedSoFar) {
    return redis.scan(List.of(cursor, "MATCH", pattern, "COUNT", PAGE)).compose(page -> {
      String next = page.get(0).toString();
      List<String> keys = new ArrayList<>();
      for (Response key : page.get(1)) {
        keys.add(key.toString());
      }
      Future<Integer> removed = keys.isEmpty() ? Future.succeededFuture(0)
        : redis.unlink(keys).map(Response::toInteger);
      return removed.compose(n -> "0".equals(next)
        ? Future.succeededFuture(removedSoFar + n)
        : page(pattern, next, removedSoFar + n));
    });
  }

  /** The deployment's prefix (glob characters escaped) and the tenant's hash tag. */
  String pattern(UUID tenantId) {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "{t:" + tenantId + "}*";
  }
}
