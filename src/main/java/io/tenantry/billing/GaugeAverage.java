package io.tenantry.billing;

import io.tenantry.metering.Meter;

/**
 * How a gauge (records stored, storage bytes and files) is billed: on its average level over the period, like a
 * GB-month — the hourly samples of a plan segment summed and divided by the hours of the whole period, rounded half
 * up. A segment's share adds up to the period's average, so a plan change or a tenant created mid-month is prorated
 * exactly as the base fee and the included quantities are, and a level held for a short peak costs only that while.
 * An hour without a sample (no node was running) counts as zero.
 */
final class GaugeAverage {
  private GaugeAverage() {
  }

  /** The billable quantity of {@code meter} in a segment whose hourly quantities add up to {@code sum}. */
  static long of(Meter meter, long sum, long periodHours) {
    return meter.kind == Meter.Kind.GAUGE ? Proration.share(sum, 1, periodHours) : sum;
  }
}
