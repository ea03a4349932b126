package io.tenantry.health;

import io.tenantry.cluster.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The checks behind /health/ready. PostgreSQL is required: unreachable means not ready (503). Redis is reported
 * but never makes the node unready — rate limits fall back to local enforcement, and a load balancer must not
 * pull every node out because Redis is down. "cluster" reports this node's id and the members it sees; a
 * clustered node that lost its cluster, or sees fewer than cluster.min-members, is not ready (it would miss
 * invalidations from the others). "accepting" is DOWN once a graceful shutdown has begun.
 */
public final class Readiness {
  private static final long TIMEOUT_MS = 2000;

  private Readiness() {
  }

  public static HealthChecks create(Vertx vertx, Pool pool, RedisAPI redis, Membership membership, int minMembers,
                                    Draining draining) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("accepting", promise -> promise.complete(draining.active()
      ? Status.KO(new JsonObject().put("draining", true)) : Status.OK()));
    checks.register("cluster", promise -> promise.complete(ClusterCheck.status(membership, minMembers)));
    checks.register("postgres", TIMEOUT_MS, promise -> pool.query("SELECT 1").execute()
      .timeout(TIMEOUT_MS - 100, TimeUnit.MILLISECONDS)
      .onSuccess(rows -> promise.complete(Status.OK()))
      .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("error", "PostgreSQL is unreachable")))));
    checks.register("redis", TIMEOUT_MS, promise -> ping(redis)
      .onSuccess(v -> promise.complete(Status.OK(new JsonObject().put("state", "up"))))
      .onFailure(e -> promise.complete(Status.OK(new JsonObject().put("state", "down").put("degraded", true)))));
    return checks;
  }

  private static Future<Void> ping(RedisAPI redis) {
    return redis.ping(List.of()).timeout(TIMEOUT_MS - 100, TimeUnit.MILLISECONDS).mapEmpty();
  }
}
