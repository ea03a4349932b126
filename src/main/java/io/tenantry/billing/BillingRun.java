package io.tenantry.billing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Finalizes the invoices of a closed period, once in the cluster: every node checks every billing.finalize-check-ms;
 * the one whose claim row in platform.billing_runs is inserted runs, finalizing each payer's invoice (each
 * idempotent) and marking the run finished, which stops every later check. A node dying midway leaves its claim
 * unfinished: after its lease another node takes it over and finalizes the rest. The job waits
 * an hour after the period's end, so that the last flushes of every node (retried for minutes at most) are in.
 */
public final class BillingRun {
  private static final Logger LOG = LoggerFactory.getLogger(BillingRun.class);
  static final Duration GRACE = Duration.ofHours(1);
  /** How long a claim holds before another node may take the run over. */
  static final Duration LEASE = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final Pool pool;
  private final Invoices invoices;
  private final UUID node;
  private final int checkMs;
  private long timer = -1;

  BillingRun(Vertx vertx, Pool pool, Invoices invoices, UUID node, int checkMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.invoices = invoices;
    this.node = node;
    this.checkMs = checkMs;
  }

  void start() {
    timer = vertx.setPeriodic(checkMs, id -> check(Instant.now()));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The periodic check: the previous month, once its grace has passed. */
  Future<Integer> check(Instant now) {
    BillingPeriod period = BillingPeriod.containing(now).previous();
    if (now.isBefore(period.end().plus(GRACE))) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery(BillingSql.RUN_DONE).execute(Tuple.of(period.start().atOffset(ZoneOffset.UTC)))
      .compose(done -> done.size() > 0 ? Future.succeededFuture(0) : run(period))
      .onFailure(e -> LOG.warn("finalizing {} failed, retried at the next check: {}", period, e.getMessage()));
  }

  /**
   * Finalizes every payer's invoice of a closed period, unless another node holds the period's claim (then 0). The
   * admin route runs it too, for a period whose automatic run failed for some payer.
   */
  public Future<Integer> run(BillingPeriod period) {
    var start = period.start().atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(BillingSql.CLAIM_RUN).execute(Tuple.of(start, node, (int) LEASE.getSeconds())).compose(claimed -> {
      if (claimed.size() == 0) {
        return Future.succeededFuture(0);
      }
      return finalizeAll(period)
        .compose(count -> pool.preparedQuery(BillingSql.FINISH_RUN).execute(Tuple.of(start, node, count)).map(count))
        .onSuccess(count -> LOG.info("billing period {} finalized: {} invoices", period, count));
    });
  }

  /** Finalizes every payer's invoice of the period, without a claim: each is idempotent (the admin route). */
  Future<Integer> finalizeAll(BillingPeriod period) {
    return invoices.payers(period).compose(payers -> next(period, payers, 0, 0));
  }

  /** One payer after the other: a run over many tenants holds one connection at a time, not the pool. */
  private Future<Integer> next(BillingPeriod period, List<Tuple> payers, int at, int done) {
    if (at == payers.size()) {
      return Future.succeededFuture(done);
    }
    Tuple payer = payers.get(at);
    return invoices.compute(payer.getUUID(0), payer.getString(1), period, true)
      .map(1)
      .recover(e -> {
        LOG.warn("invoice of {} for {} not finalized: {}", payer.getString(1), period, e.getMessage());
        return Future.succeededFuture(0);
      })
      .compose(one -> next(period, payers, at + 1, done + one));
  }
}
