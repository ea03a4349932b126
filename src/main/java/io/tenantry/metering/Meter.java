package io.tenantry.metering;

import io.tenantry.http.Problem;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What is metered per tenant. Counters are summed over nodes and hours; gauges are sampled hourly by
 * {@link GaugeSampler} (the latest sample of an hour is that hour's value; invoices price a gauge on its average over
 * the period, io.tenantry.billing.GaugeAverage); {@link #ACTIVE_USERS} counts distinct users.
 */
public enum Meter {
  REQUESTS_READ(Kind.COUNTER),
  REQUESTS_WRITE(Kind.COUNTER),
  REQUESTS_ADMIN(Kind.COUNTER),
  EGRESS_BYTES(Kind.COUNTER),
  QUERY_UNITS(Kind.COUNTER),
  ACTIVE_USERS(Kind.DISTINCT),
  RECORDS_STORED(Kind.GAUGE),
  STORAGE_BYTES(Kind.GAUGE),
  STORAGE_FILES(Kind.GAUGE);

  public enum Kind { COUNTER, GAUGE, DISTINCT }

  /** The counters held per tenant in memory, by ordinal: the first five constants. */
  static final int COUNTERS = 5;

  private static final String NAMES = Arrays.stream(values()).map(Meter::id).collect(Collectors.joining(", "));

  public final Kind kind;
  private final String id;

  Meter(Kind kind) {
    this.kind = kind;
    this.id = name().toLowerCase(Locale.ROOT);
  }

  /** The name in the API, the database and pricing: {@code requests_read}, {@code storage_bytes}, ... */
  public String id() {
    return id;
  }

  /** @throws Problem 400 naming the meters that exist */
  public static Meter parse(String id) {
    for (Meter meter : values()) {
      if (meter.id.equals(id)) {
        return meter;
      }
    }
    throw Problem.badRequest("unknown meter '" + id + "': the meters are " + NAMES);
  }

  public static String names() {
    return NAMES;
  }
}
