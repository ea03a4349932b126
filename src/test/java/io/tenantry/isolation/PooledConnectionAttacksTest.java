package io.tenantry.isolation;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pooled connections are reused after errors, timeouts and cancelled requests, under concurrency, across 100
 * tenants of mixed tiers sharing a small platform pool and a budget that forces dedicated pools to be closed and
 * reopened: every answer holds only its own tenant's data, and afterwards every tenant holds exactly its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PooledConnectionAttacksTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static final int SHARED = 40;
  private static final int SCHEMA = 40;
  private static final int DATABASE = 20;
  private static final int ROUNDS = 3;

  private TestServer ts;
  private final List<String> slugs = new ArrayList<>();
  private final List<String> tokens = new ArrayList<>();
  private final List<String> firstIds = new ArrayList<>();

  /** db.tenant-context; {@link TransactionContextPooledConnectionAttacksTest} runs the same with "transaction". */
  protected String tenantContext() {
    return "statement";
  }

  /** Configuration besides this test's own: the PgBouncer variant points the server at PgBouncer. */
  protected Map<String, String> connection() {
    return Map.of();
  }

  /**
   * The server the database-tier tenants are created on ("database": host and port of the create request), null for
   * the default (db.host:db.port). Behind PgBouncer it is the PostgreSQL server itself: creating and migrating a
   * tenant database is admin work (Flyway, DDL) that does not belong behind a transaction pooler.
   */
  protected JsonObject databaseServer() {
    return null;
  }

  @BeforeAll
  void hundredTenantsOfMixedTiers() {
    // Platform pool 4, at most 2 requests per tenant on it, dedicated pools of 1 connection, room for 8 of them.
    Map<String, String> config = new java.util.HashMap<>(connection());
    config.putAll(Map.of("db.pool-size", "4", "tenancy.max-concurrent-per-tenant", "2",
      "tenancy.queue-timeout-ms", "10000", "tenancy.dedicated-pool-size", "1", "db.connection-budget", "12",
      "db.connect-timeout-ms", "10000", "db.tenant-context", tenantContext()));
    ts = TestServer.start(config);
    String admin = ts.adminToken();
    List<String> tiers = new ArrayList<>();
    tiers.addAll(Collections.nCopies(SHARED, "shared"));
    tiers.addAll(Collections.nCopies(SCHEMA, "schema"));
    tiers.addAll(Collections.nCopies(DATABASE, "database"));
    List<Future<HttpResponse<Buffer>>> creating = new ArrayList<>();
    for (int i = 0; i < tiers.size(); i++) {
      String slug = "mix-" + tiers.get(i) + "-" + i;
      slugs.add(slug);
      JsonObject create = new JsonObject().put("slug", slug).put("name", slug).put("isolation", tiers.get(i));
      if (tiers.get(i).equals("database") && databaseServer() != null) {
        create.put("database", databaseServer().copy().put("name", ts.config.dbName() + "_d" + i));
      }
      creating.add(ts.api.request(HttpMethod.POST, "/admin/v1/tenants", admin).sendJsonObject(create));
      if (creating.size() == 8 || i == tiers.size() - 1) {
        Await.result(Future.all(creating), 120).list()
          .forEach(r -> assertThat(((HttpResponse<?>) r).statusCode()).isEqualTo(201));
        creating.clear();
      }
    }
    for (String slug : slugs) {
      ts.addUser(admin, slug, "member@" + slug + ".test", "member");
      String token = ts.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug);
      tokens.add(token);
      firstIds.add(note(token, slug));
      note(token, slug);
    }
  }

  /**
   * A record of the tenant's, created before the attack: retried while the answer is 503 (a hundred database-tier
   * tenants' pools share one connection budget with the background work), so every tenant starts with two.
   */
  private String note(String token, String slug) {
    String[] id = new String[1];
    Eventually.within(java.time.Duration.ofSeconds(30), "a record created for " + slug, () -> {
      HttpResponse<Buffer> r = ts.api.post(NOTES, token, new JsonObject().put("tenant", slug));
      assertThat(r.statusCode()).as(r.bodyAsString()).isIn(201, 503);
      id[0] = r.statusCode() == 201 ? r.bodyAsJsonObject().getString("id") : null;
      return id[0] != null;
    });
    return id[0];
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private record Call(int tenant, String kind, Future<HttpResponse<Buffer>> response) {
  }

  @Test
  void pooledConnectionsNeverCarryAContextAcrossErrorsTimeoutsAndCancellations() {
    Random random = new Random(7);
    List<Call> calls = new ArrayList<>();
    int n = slugs.size();
    for (int round = 0; round < ROUNDS; round++) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      for (int t : order) {
        String token = tokens.get(t);
        String own = NOTES + "/" + firstIds.get(t);
        calls.add(new Call(t, "list", ts.api.request(HttpMethod.GET, NOTES + "?limit=100", token).send()));
        calls.add(new Call(t, "get", ts.api.request(HttpMethod.GET, own, token).send()));
        calls.add(new Call(t, "stale", ts.api.request(HttpMethod.PUT, own, token).putHeader("If-Match", "\"999\"")
          .sendJsonObject(new JsonObject().put("tenant", "overwritten"))));
        calls.add(new Call(t, "rejected", ts.api.request(HttpMethod.POST, NOTES, token)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"tenant\":\"x\\u0000\"}"))));
        // The client gives up after 1 ms: the server finishes (or abandons) the request on a connection it reuses.
        calls.add(new Call(t, "cancelled", ts.api.request(HttpMethod.PATCH, own, token).timeout(1)
          .sendJsonObject(new JsonObject().put("tenant", "cancelled-write"))));
        calls.add(new Call(t, "foreign", ts.api.request(HttpMethod.GET, NOTES + "/" + firstIds.get((t + 37) % n), token).send()));
      }
    }
    // join waits for every call; the cancelled ones fail on purpose, so only completion is awaited here.
    Await.result(Future.join(calls.stream().map(Call::response).toList()).otherwiseEmpty(), 300);

    int served = 0;
    int unavailable = 0;
    for (Call call : calls) {
      String slug = slugs.get(call.tenant());
      if (call.kind().equals("cancelled")) {
        continue; // the client never saw an answer; what matters is what the next user of the connection sees
      }
      HttpResponse<Buffer> r = call.response().result();
      assertThat(r).as("%s for %s: %s", call.kind(), slug, call.response().cause()).isNotNull();
      if (r.statusCode() == 503) {
        assertThat(r.getHeader("Retry-After")).isNotNull();
        unavailable++;
        continue;
      }
      served++;
      switch (call.kind()) {
        case "list" -> {
          assertThat(r.statusCode()).isEqualTo(200);
          JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
          assertThat(items).as("records listed for %s", slug).hasSize(2);
          items.forEach(item -> assertThat(((JsonObject) item).getJsonObject("data").getString("tenant"))
            .isIn(slug, "cancelled-write"));
        }
        case "get" -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.bodyAsJsonObject().getJsonObject("data").getString("tenant")).isIn(slug, "cancelled-write");
        }
        case "stale" -> assertThat(r.statusCode()).isEqualTo(412);
        case "rejected" -> assertThat(r.statusCode()).isEqualTo(400);
        case "foreign" -> assertThat(r.statusCode()).isEqualTo(404);
        default -> throw new IllegalStateException(call.kind());
      }
    }
    assertThat(served).as("answers other than 503 (503s: %d)", unavailable).isGreaterThan(calls.size() / 2);

    // Afterwards, quietly: every tenant holds exactly its own two records.
    for (int t = 0; t < n; t++) {
      // a server breaker the storm opened answers 503 until it half-opens: await the tenant's answer, then check it
      String token = tokens.get(t);
      java.util.concurrent.atomic.AtomicReference<HttpResponse<Buffer>> answer = new java.util.concurrent.atomic.AtomicReference<>();
      io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(30), "an answer other than 503", () -> {
        answer.set(ts.api.get(NOTES + "?limit=100", token));
        return answer.get().statusCode() != 503;
      });
      HttpResponse<Buffer> list = answer.get();
      assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
      JsonArray items = list.bodyAsJsonObject().getJsonArray("items");
      assertThat(items).hasSize(2);
      String slug = slugs.get(t);
      items.forEach(item -> assertThat(((JsonObject) item).getJsonObject("data").getString("tenant")).isIn(slug, "cancelled-write"));
    }
  }
}
