package io.tenantry.load;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * A realistic records workload spread over the seeded tenants. Each virtual user is one client session of one
 * tenant (chosen uniformly or Zipf-skewed) using that tenant's own token; it makes {@code requests} calls drawn from
 * the mix: read one record, list a page, create a record, replace a record.
 *
 * <p>System properties (all optional): {@code baseUrl} (http://127.0.0.1:8080), {@code seed}
 * (target/seed.csv), {@code dist} (uniform|zipf), {@code zipf} (exponent, 1.0), {@code model} (open|closed),
 * {@code rate} (open: new sessions per second, 20), {@code users} (closed: concurrent sessions, 32),
 * {@code duration} (seconds at full load, 60), {@code ramp} (seconds of ramp-up, 10), {@code requests} (per
 * session, 10), {@code pauseMs} (think time between a session's calls, 0), {@code mix} (read,list,create,replace
 * percentages, 70,15,10,5), {@code collection} (notes), {@code pageSize} (20).
 */
public class RecordsSimulation extends Simulation {
  private static final String BASE_URL = System.getProperty("baseUrl", "http://127.0.0.1:8080");
  private static final Path SEED = Path.of(System.getProperty("seed", "target/seed.csv"));
  private static final String DIST = System.getProperty("dist", "uniform");
  private static final double ZIPF = Double.parseDouble(System.getProperty("zipf", "1.0"));
  private static final String MODEL = System.getProperty("model", "open");
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "20"));
  private static final int USERS = Integer.getInteger("users", 32);
  private static final int DURATION = Integer.getInteger("duration", 60);
  private static final int RAMP = Integer.getInteger("ramp", 10);
  private static final int REQUESTS = Integer.getInteger("requests", 10);
  private static final int PAUSE_MS = Integer.getInteger("pauseMs", 0);
  private static final String COLLECTION = System.getProperty("collection", "notes");
  private static final int PAGE_SIZE = Integer.getInteger("pageSize", 20);
  private static final double[] MIX = mix(System.getProperty("mix", "70,15,10,5"));
  private static final String RECORDS = "/api/v1/collections/" + COLLECTION + "/records";

  private final List<SeedFile.Tenant> tenants = SeedFile.read(SEED);

  private final HttpProtocolBuilder protocol = http
    .baseUrl(BASE_URL)
    .acceptHeader("application/json")
    .contentTypeHeader("application/json")
    .authorizationHeader("Bearer #{token}")
    .userAgentHeader("tenantry-load-tests");

  private final ChainBuilder read = exec(http("read record").get(RECORDS + "/#{recordId}").check(status().is(200)));
  private final ChainBuilder list = exec(http("list records").get(RECORDS + "?limit=" + PAGE_SIZE).check(status().is(200)));
  private final ChainBuilder create = exec(http("create record").post(RECORDS)
    .body(StringBody(session -> Bodies.record(ThreadLocalRandom.current().nextLong(1_000_000)))).check(status().is(201)));
  private final ChainBuilder replace = exec(http("replace record").put(RECORDS + "/#{recordId}")
    .body(StringBody(session -> Bodies.record(ThreadLocalRandom.current().nextLong(1_000_000)))).check(status().is(200)));

  private final ScenarioBuilder sessions = scenario("tenant sessions (" + tenants.size() + " tenants, " + DIST + ")")
    .feed(SeedFile.feeder(tenants, DIST, ZIPF))
    .repeat(REQUESTS).on(
      exec(RecordsSimulation::pickRecord)
        .randomSwitch().on(
          percent(MIX[0]).then(read),
          percent(MIX[1]).then(list),
          percent(MIX[2]).then(create),
          percent(MIX[3]).then(replace))
        .pause(Duration.ofMillis(PAUSE_MS)));

  {
    PopulationBuilder population = MODEL.equals("closed")
      ? sessions.injectClosed(rampConcurrentUsers(1).to(USERS).during(RAMP), constantConcurrentUsers(USERS).during(DURATION))
      : sessions.injectOpen(rampUsersPerSec(1).to(RATE).during(RAMP), constantUsersPerSec(RATE).during(DURATION));
    setUp(population).protocols(protocol).assertions(global().failedRequests().percent().lt(1.0));
  }

  private static Session pickRecord(Session session) {
    String[] ids = session.get("ids");
    return session.set("recordId", ids[ThreadLocalRandom.current().nextInt(ids.length)]);
  }

  private static double[] mix(String text) {
    String[] parts = text.split(",");
    if (parts.length != 4) {
      throw new IllegalArgumentException("mix is read,list,create,replace percentages, e.g. 70,15,10,5");
    }
    double[] mix = new double[4];
    for (int i = 0; i < 4; i++) {
      mix[i] = Double.parseDouble(parts[i].trim());
    }
    return mix;
  }
}
