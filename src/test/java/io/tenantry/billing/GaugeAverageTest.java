package io.tenantry.billing;

import io.tenantry.metering.Meter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Gauges are billed on their average over the period; counters pass through as their sum. */
class GaugeAverageTest {
  @Test
  void aGaugeHeldAllMonthIsItsLevelAndAShortPeakCostsOnlyItsShare() {
    assertThat(GaugeAverage.of(Meter.STORAGE_BYTES, 720L * 1_000, 720)).isEqualTo(1_000);
    assertThat(GaugeAverage.of(Meter.RECORDS_STORED, 1_000_000, 720)).isEqualTo(1_389); // 1388.9, rounded half up
    assertThat(GaugeAverage.of(Meter.STORAGE_FILES, 360, 720)).isEqualTo(1); // 0.5 rounds up
    assertThat(GaugeAverage.of(Meter.STORAGE_FILES, 359, 720)).isZero();
  }

  @Test
  void countersAreNotAveraged() {
    assertThat(GaugeAverage.of(Meter.REQUESTS_READ, 1_000_000, 720)).isEqualTo(1_000_000);
    assertThat(GaugeAverage.of(Meter.QUERY_UNITS, 5, 720)).isEqualTo(5);
  }
}
