package io.tenantry.idempotency;

import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency-Key on POST /admin/v1/tenants: a retry gets the first answer, never a second tenant. */
class IdempotentCreationTest {
  private static TestServer server;
  private static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpRequest<Buffer> create(String token, String key) {
    HttpRequest<Buffer> request = server.api.request(HttpMethod.POST, "/admin/v1/tenants", token);
    if (key != null) {
      request.putHeader("Idempotency-Key", key);
    }
    return request;
  }

  private static JsonObject tenant(String slug) {
    return new JsonObject().put("slug", slug).put("name", "Tenant " + slug);
  }

  private static long tenantsNamed(String slug) {
    return server.api.get("/admin/v1/tenants?limit=200", admin).bodyAsJsonObject().getJsonArray("items").stream()
      .filter(t -> slug.equals(((JsonObject) t).getString("slug"))).count();
  }

  @Test
  void theSameKeyAndBodyGetTheFirstAnswerWithoutASecondTenant() {
    HttpResponse<Buffer> first = server.api.send(create(admin, "key-1"), tenant("once"));
    assertThat(first.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> again = server.api.send(create(admin, "key-1"), tenant("once"));
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(again.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(tenantsNamed("once")).isEqualTo(1);

    HttpResponse<Buffer> withoutKey = server.api.send(create(admin, null), tenant("once"));
    assertThat(withoutKey.statusCode()).as("no key: an ordinary second create").isEqualTo(409);
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefused() {
    assertThat(server.api.send(create(admin, "key-2"), tenant("first-body")).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> other = server.api.send(create(admin, "key-2"), tenant("second-body"));
    assertThat(assertProblem(other, 422).getString("detail")).contains("another request body");
    assertThat(tenantsNamed("second-body")).isZero();
  }

  @Test
  void anotherCallersSameKeyIsIndependent() {
    String orgAdmin = server.tenantWithUser(admin, "org", "tenant_admin");
    HttpResponse<Buffer> child = server.api.send(create(orgAdmin, "shared-key"), tenant("org-child").put("parent", "org"));
    assertThat(child.statusCode()).as(child.bodyAsString()).isEqualTo(201);
    HttpResponse<Buffer> mine = server.api.send(create(admin, "shared-key"), tenant("admins-own"));
    assertThat(mine.statusCode()).as("the super-admin's key is its own").isEqualTo(201);
    assertThat(mine.getHeader("Idempotent-Replayed")).isNull();
    assertThat(tenantsNamed("org-child")).isEqualTo(1);
    assertThat(tenantsNamed("admins-own")).isEqualTo(1);
  }

  @Test
  void aFailedFirstRequestReleasesTheKey() {
    HttpResponse<Buffer> bad = server.api.send(create(admin, "key-3"), new JsonObject().put("slug", "Bad Slug!").put("name", "x"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(server.api.send(create(admin, "key-3"), tenant("after-failure")).statusCode()).isEqualTo(201);
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOneTenant() {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(create(admin, "key-4").sendJsonObject(tenant("raced")));
    }
    Await.result(Future.join(sent), 60);
    List<Integer> statuses = sent.stream().map(f -> f.result().statusCode()).toList();
    assertThat(statuses).contains(201).allMatch(s -> s == 201 || s == 409);
    assertThat(tenantsNamed("raced")).isEqualTo(1);
    HttpResponse<Buffer> after = server.api.send(create(admin, "key-4"), tenant("raced"));
    assertThat(after.statusCode()).isEqualTo(201);
    assertThat(after.getHeader("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void malformedKeysAreRefused() {
    HttpResponse<Buffer> r = server.api.send(create(admin, "has space"), tenant("never-made"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(tenantsNamed("never-made")).isZero();
  }
}
