package io.tenantry.metering;

import io.vertx.core.http.HttpMethod;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What metering costs a data-plane request: {@link UsageMeter#admit} (the tenant's counters found, the user noted,
 * the request's class) and {@link UsageMeter.Admission#answered} (two striped increments), for requests spread over
 * {@code tenants} tenants with 10 users each, as the gate and the response's end call them. {@code unmetered} is
 * the same loop over the same arrays doing nothing else, so the difference is the meter's. The routing context's
 * end handler that carries {@code answered} is not included (a list append Vert.x makes for the request anyway).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UsageMeterBenchmark {
  private static final String PATH = "/api/v1/collections/orders/records/0190f0e0-0000-7000-8000-000000000001";

  @Param({"100", "1000"})
  public int tenants;

  private UsageMeter meter;
  private UUID[] tenantIds;
  private UUID[] userIds;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    meter = new UsageMeter(true);
    tenantIds = new UUID[tenants];
    userIds = new UUID[tenants * 10];
    for (int i = 0; i < tenants; i++) {
      tenantIds[i] = UUID.randomUUID();
    }
    for (int i = 0; i < userIds.length; i++) {
      userIds[i] = UUID.randomUUID();
    }
  }

  /** As the flusher does every 10 s: the counters stay in the map, the users seen are taken. */
  @Setup(Level.Iteration)
  public void drain() {
    meter.drain(Instant.now());
  }

  @Benchmark
  public UsageMeter.Admission metered() {
    int i = next++ & Integer.MAX_VALUE;
    UsageMeter.Admission admission = meter.admit(tenantIds[i % tenants], userIds[i % userIds.length], HttpMethod.GET, PATH);
    admission.answered(true, 200, 512);
    return admission;
  }

  @Benchmark
  public UUID unmetered() {
    int i = next++ & Integer.MAX_VALUE;
    return userIds[i % userIds.length] == tenantIds[i % tenants] ? null : tenantIds[i % tenants];
  }
}
