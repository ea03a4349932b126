package io.tenantry.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * Background jobs, read from the platform schema every 15 s (one small query each, never at scrape time):
 * provisioning steps not yet done by state, and tenants by status and by migration version, so an upgrade's fleet
 * migration shows as the old version's count falling to zero. Labels take a handful of values each.
 */
public final class JobMeters {
  static final long PERIOD_MS = 15_000;
  private static final String STEPS = "SELECT state, count(*) FROM platform.provisioning_steps "
    + "WHERE state IN ('pending', 'running', 'failed') GROUP BY state";
  private static final String TENANTS = "SELECT status, coalesce(schema_version::text, 'none'), count(*) "
    + "FROM platform.tenants GROUP BY 1, 2";

  private final Pool pool;
  private final MultiGauge steps;
  private final MultiGauge tenants;
  private long timer = -1;

  public JobMeters(MeterRegistry registry, Pool pool) {
    this.pool = pool;
    this.steps = MultiGauge.builder("tenantry.provisioning.steps")
      .description("Provisioning steps pending, running or failed").register(registry);
    this.tenants = MultiGauge.builder("tenantry.tenants")
      .description("Tenants by status and schema (migration) version").register(registry);
  }

  /** First read a second after start (the start's own queries go first), then every 15 s. */
  public void start(Vertx vertx) {
    timer = vertx.setPeriodic(1_000, PERIOD_MS, id -> refresh());
  }

  public void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Reads both counts; a failure (database restarting) keeps the last values. */
  public Future<Void> refresh() {
    Future<Void> stepCounts = pool.query(STEPS).execute().map(rows -> {
      List<MultiGauge.Row<?>> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(MultiGauge.Row.of(Tags.of("state", row.getString(0)), row.getLong(1)));
      }
      steps.register(out, true);
      return null;
    });
    Future<Void> tenantCounts = pool.query(TENANTS).execute().map(rows -> {
      List<MultiGauge.Row<?>> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(MultiGauge.Row.of(Tags.of("status", row.getString(0), "schema_version", row.getString(1)), row.getLong(2)));
      }
      tenants.register(out, true);
      return null;
    });
    return Future.join(stepCounts, tenantCounts).mapEmpty();
  }
}
