package io.tenantry.ratelimit;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One tenant's budget enforced by this node alone, used while Redis is unavailable: the tenant's and each user's
 * bucket divided by the number of live nodes, so that all nodes together still grant about the limit and not
 * N times it. Guarded by the owning {@link TenantBudget}.
 */
final class LocalBudget {
  private final int nodes;
  private final Gcra tenant;
  private final Map<UUID, Gcra> users = new HashMap<>();

  LocalBudget(Bucket tenantBucket, int nodes) {
    this.nodes = nodes;
    this.tenant = new Gcra(tenantBucket.share(nodes));
  }

  int nodes() {
    return nodes;
  }

  /** @param userBucket the caller's bucket, or null when there is no per-user sub-limit */
  Decision decide(UUID userId, Bucket userBucket, int cost, long nowNanos) {
    long now = nowNanos / 1000;
    Grant forTenant = tenant.take(now, cost, cost);
    if (forTenant.refused()) {
      return refused(Decision.Scope.TENANT, tenant.bucket(), forTenant);
    }
    if (userBucket == null) {
      return allowed(Decision.Scope.TENANT, tenant.bucket(), forTenant);
    }
    Gcra user = users.computeIfAbsent(userId, k -> new Gcra(userBucket.share(nodes)));
    Grant forUser = user.take(now, cost, cost);
    if (forUser.refused()) {
      tenant.giveBack(now, cost); // all or nothing, as in Redis
      return refused(Decision.Scope.USER, user.bucket(), forUser);
    }
    int tenantLeft = left(tenant.bucket(), forTenant);
    int userLeft = left(user.bucket(), forUser);
    return userLeft < tenantLeft ? allowed(Decision.Scope.USER, user.bucket(), forUser)
      : allowed(Decision.Scope.TENANT, tenant.bucket(), forTenant);
  }

  /** Undoes a {@link #decide} that admitted: a subtree budget refused the request. */
  void giveBack(UUID userId, int cost, long nowNanos) {
    long now = nowNanos / 1000;
    tenant.giveBack(now, cost);
    Gcra user = userId == null ? null : users.get(userId);
    if (user != null) {
      user.giveBack(now, cost);
    }
  }

  private static int left(Bucket bucket, Grant grant) {
    return (int) Math.max(0, (bucket.capacity() - grant.offset()) / bucket.interval());
  }

  private static Decision allowed(Decision.Scope scope, Bucket bucket, Grant grant) {
    return new Decision(true, scope, bucket.burst(), left(bucket, grant), seconds(grant.offset()), 0);
  }

  private static Decision refused(Decision.Scope scope, Bucket bucket, Grant grant) {
    return new Decision(false, scope, bucket.burst(), left(bucket, grant), seconds(grant.offset()),
      Math.max(1, seconds(grant.waitMicros())));
  }

  private static long seconds(long micros) {
    return micros <= 0 ? 0 : (micros + Bucket.MICROS_PER_SECOND - 1) / Bucket.MICROS_PER_SECOND;
  }
}
