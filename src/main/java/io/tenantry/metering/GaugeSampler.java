package io.tenantry.metering;

import io.tenantry.tenant.SchemaMemo;
import io.tenantry.data.TenantDb;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;

/**
 * The gauge meters ({@code records_stored}, {@code storage_files}, {@code storage_bytes}): once an hour each node
 * counts every tenant's records and committed files in its own tier and stores the counts as the hour's samples
 * ({@link UsageSql#UPSERT_GAUGES}: the latest sample of an hour wins). Every node samples and a second sample of the
 * same hour overwrites the first with the same or a fresher count, so the sampler needs no leader and a node that
 * dies mid-round leaves the others' samples intact. At most {@code concurrency} tenants are counted at once; the
 * PostgreSQL client is asynchronous, so the event loop only decodes one row per tenant.
 */
public final class GaugeSampler {
  private static final Logger LOG = LoggerFactory.getLogger(GaugeSampler.class);
  /** How often a node checks whether it has sampled the current hour; its first check is one interval after start. */
  static final long CHECK_EVERY_MS = 300_000;
  private static final int PAGE = 200;

  private final Vertx vertx;
  private final Pool platform;
  private final TenantStore tenants;
  private final TenantDb db;
  private final int concurrency;
  private final SchemaMemo<GaugeSql> bySchema = new SchemaMemo<>(GaugeSql::forSchema);
  private Instant sampledHour;
  private boolean running;
  private long timer = -1;

  GaugeSampler(Vertx vertx, Pool platform, TenantStore tenants, TenantDb db, int concurrency) {
    this.vertx = vertx;
    this.platform = platform;
    this.tenants = tenants;
    this.db = db;
    this.concurrency = concurrency;
  }

  /** One sample of a tenant: what the three gauges read now. */
  public record Sample(long records, long files, long bytes) {
  }

  void start() {
    timer = vertx.setPeriodic(CHECK_EVERY_MS, id -> {
      Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
      if (!running && !hour.equals(sampledHour)) {
        running = true;
        sampleAll(Instant.now())
          .onSuccess(n -> sampledHour = hour)
          .onFailure(e -> LOG.warn("gauge sampling failed, retried in {} s: {}", CHECK_EVERY_MS / 1000, e.getMessage()))
          .onComplete(done -> running = false);
      }
    });
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Samples every tenant holding data (all but those being provisioned or deleted) and stores the samples under the
   * hour of {@code now}; answers how many tenants were sampled. A tenant that cannot be counted (its database
   * down) fails the round after the others were stored: the next check retries it.
   */
  public Future<Integer> sampleAll(Instant now) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    return page(hour, null, 0, 0);
  }

  private Future<Integer> page(Instant hour, UUID after, int sampled, int failed) {
    return tenants.list(after, PAGE).compose(list -> {
      List<Tenant> wanted = list.stream().filter(GaugeSampler::holdsData).toList();
      return bounded(wanted, hour).compose(failures -> {
        int done = sampled + wanted.size() - failures;
        if (list.size() < PAGE) {
          return failed + failures == 0 ? Future.succeededFuture(done)
            : Future.failedFuture(failed + failures + " tenant(s) could not be sampled");
        }
        return page(hour, list.get(list.size() - 1).id(), done, failed + failures);
      });
    });
  }

  private static boolean holdsData(Tenant tenant) {
    return tenant.status() != Tenant.Status.PROVISIONING && tenant.status() != Tenant.Status.DELETED;
  }

  /** Samples and stores the tenants, {@code concurrency} at a time; answers how many failed. */
  private Future<Integer> bounded(List<Tenant> list, Instant hour) {
    ArrayDeque<Tenant> queue = new ArrayDeque<>(list);
    Promise<Integer> all = Promise.promise();
    int[] state = {0, 0}; // running, failed; touched on the sampler's context only
    io.vertx.core.Context context = vertx.getOrCreateContext();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      while (state[0] < concurrency && !queue.isEmpty()) {
        Tenant tenant = queue.poll();
        state[0]++;
        sampleAndStore(tenant, hour).onComplete(done -> context.runOnContext(v -> {
          state[0]--;
          if (done.failed()) {
            state[1]++;
            LOG.warn("gauge sample of tenant {} failed: {}", tenant.slug(), done.cause().getMessage());
          }
          next[0].run();
        }));
      }
      if (state[0] == 0 && queue.isEmpty()) {
        all.tryComplete(state[1]);
      }
    };
    context.runOnContext(v -> next[0].run());
    return all.future();
  }

  private Future<Void> sampleAndStore(Tenant tenant, Instant hour) {
    return sample(tenant).compose(s -> platform.preparedQuery(UsageSql.UPSERT_GAUGES).execute(Tuple.of(tenant.id(),
        hour.atOffset(ZoneOffset.UTC), new String[] {Meter.RECORDS_STORED.id(), Meter.STORAGE_FILES.id(), Meter.STORAGE_BYTES.id()},
        new Long[] {s.records(), s.files(), s.bytes()})))
      .mapEmpty();
  }

  /** The tenant's gauges now, read in its own tier under its own context. */
  public Future<Sample> sample(Tenant tenant) {
    GaugeSql sql = bySchema.of(tenant.schema());
    return db.autocommit(tenant, conn -> conn.preparedQuery(sql.sample()).execute(Tuple.of(tenant.id())))
      .map(rows -> {
        Row row = rows.iterator().next();
        return new Sample(row.getLong("records"), row.getLong("files"), row.getLong("bytes"));
      });
  }
}
