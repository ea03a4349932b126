package io.tenantry.records;

import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant context never travels with a pooled connection: 60 tenants share a pool of 4 connections, and
 * thousands of interleaved concurrent requests — some failing inside their transaction (412 after the row
 * lock, 400 from PostgreSQL rejecting the document) — each see only their own tenant's records.
 */
class ContextLeakTest {
  private static final int TENANTS = 60;
  private static final int ROUNDS = 6;
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static final List<String> slugs = new ArrayList<>();
  private static final List<String> tokens = new ArrayList<>();
  private static final List<String> firstIds = new ArrayList<>();

  @BeforeAll
  static void manyTenantsWithTwoRecordsEach() {
    ts = TestServer.start(Map.of("db.pool-size", "4"));
    String admin = ts.adminToken();
    for (int i = 0; i < TENANTS; i++) {
      String slug = "leak-" + i;
      String token = ts.tenantWithUser(admin, slug, "member");
      slugs.add(slug);
      tokens.add(token);
      firstIds.add(ts.api.post(NOTES, token, new JsonObject().put("tenant", slug)).bodyAsJsonObject().getString("id"));
      ts.api.post(NOTES, token, new JsonObject().put("tenant", slug));
    }
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private record Call(int tenant, String kind, Future<HttpResponse<Buffer>> response) {
  }

  @Test
  void concurrentInterleavedRequestsForManyTenantsSeeOnlyTheirOwnRecords() {
    Random random = new Random(42);
    List<Call> calls = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < TENANTS; i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      for (int t : order) {
        String token = tokens.get(t);
        String own = NOTES + "/" + firstIds.get(t);
        calls.add(new Call(t, "list", ts.api.request(HttpMethod.GET, NOTES + "?limit=100", token).send()));
        calls.add(new Call(t, "get", ts.api.request(HttpMethod.GET, own, token).send()));
        // Fails inside the transaction after SELECT ... FOR UPDATE: stale version.
        calls.add(new Call(t, "stale", ts.api.request(HttpMethod.PUT, own, token).putHeader("If-Match", "\"999\"")
          .sendJsonObject(new JsonObject().put("tenant", "overwritten"))));
        // Fails inside the transaction in PostgreSQL: jsonb cannot store \u0000.
        calls.add(new Call(t, "rejected", ts.api.request(HttpMethod.POST, NOTES, token)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"tenant\":\"x\\u0000\"}"))));
        // Another tenant's id under this tenant's token.
        String foreign = NOTES + "/" + firstIds.get((t + 1) % TENANTS);
        calls.add(new Call(t, "foreign", ts.api.request(HttpMethod.GET, foreign, token).send()));
      }
    }
    Await.result(Future.join(calls.stream().map(Call::response).toList()), 120);

    for (Call call : calls) {
      HttpResponse<Buffer> r = call.response().result();
      assertThat(r).as("%s for tenant %d failed: %s", call.kind(), call.tenant(), call.response().cause()).isNotNull();
      String slug = slugs.get(call.tenant());
      switch (call.kind()) {
        case "list" -> {
          assertThat(r.statusCode()).isEqualTo(200);
          var items = r.bodyAsJsonObject().getJsonArray("items");
          assertThat(items).as("records listed for %s", slug).hasSize(2);
          items.forEach(item -> assertThat(((JsonObject) item).getJsonObject("data").getString("tenant")).isEqualTo(slug));
        }
        case "get" -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.bodyAsJsonObject().getJsonObject("data").getString("tenant")).isEqualTo(slug);
        }
        case "stale" -> assertThat(r.statusCode()).isEqualTo(412);
        case "rejected" -> assertThat(r.statusCode()).isEqualTo(400);
        case "foreign" -> assertThat(r.statusCode()).isEqualTo(404);
        default -> throw new IllegalStateException(call.kind());
      }
    }
  }
}
