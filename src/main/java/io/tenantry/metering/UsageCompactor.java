package io.tenantry.metering;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Keeps the usage tables small: flushes older than a day become hourly totals (any node may run it; concurrent runs
 * delete each flush once), and hours older than metering.retention-days are removed.
 */
public final class UsageCompactor {
  /** Far beyond how long a node retries a flush, so a compacted flush is never written again. */
  static final Duration RETRY_HORIZON = Duration.ofDays(1);

  private final Pool pool;
  private final int retentionDays;

  public UsageCompactor(Pool pool, int retentionDays) {
    this.pool = pool;
    this.retentionDays = retentionDays;
  }

  public Future<Void> run(Instant now) {
    var horizon = now.minus(RETRY_HORIZON).truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC);
    var kept = now.minus(Duration.ofDays(retentionDays)).truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(UsageSql.COMPACT).execute(Tuple.of(horizon))
      .compose(done -> pool.preparedQuery(UsageSql.PRUNE_HOURLY).execute(Tuple.of(kept)))
      .compose(done -> pool.preparedQuery(UsageSql.PRUNE_USERS).execute(Tuple.of(kept)))
      .mapEmpty();
  }
}
