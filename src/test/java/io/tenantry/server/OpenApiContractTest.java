package io.tenantry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The served router and openapi.yaml describe exactly the same routes. */
class OpenApiContractTest {
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @Test
  void everyRouteIsDescribedAndEveryDescribedOperationIsRouted() throws Exception {
    HttpVerticle verticle = new HttpVerticle(ts.server().platform());
    verticle.init(ts.vertx, ts.vertx.getOrCreateContext());
    Router router = verticle.router();

    Set<String> routed = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null) {
        // Only the global root/failure routes have no path; they must not answer any method of their own.
        assertThat(route.methods()).as("a route without a path").isNullOrEmpty();
        continue;
      }
      assertThat(route.methods()).as("methods of %s", route.getPath()).isNotEmpty();
      for (HttpMethod method : route.methods()) {
        // a parameter is a whole segment; a ':' inside one is literal in the contract (records:batch)
        routed.add(method.name() + " " + route.getPath().replaceAll("/:([A-Za-z0-9_]+)", "/{$1}"));
      }
    }

    Set<String> described = new TreeSet<>();
    HttpResponse<Buffer> served = ts.api.get("/openapi.yaml", null);
    assertThat(served.statusCode()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = new ObjectMapper(new YAMLFactory()).readValue(served.body().getBytes(), Map.class);
    JsonObject paths = new JsonObject(doc).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        if (Set.of("get", "put", "post", "patch", "delete", "head", "options").contains(key)) {
          // a ':' inside a segment is literal in the contract and on the route (files:usage, records:batch)
          described.add(key.toUpperCase() + " " + path);
        }
      }
    }
    assertThat(routed).isEqualTo(described);
  }

  @Test
  void theDocumentIsServedAsWrittenAndIsOpenApi31() throws Exception {
    HttpResponse<Buffer> served = ts.api.get("/openapi.yaml", null);
    assertThat(served.getHeader("Content-Type")).isEqualTo("application/yaml");
    assertThat(served.bodyAsString()).startsWith("openapi: 3.1.0").contains("application/problem+json");
  }

  @Test
  void everyErrorResponseOfTheServedDocumentIsProblemJson() throws Exception {
    HttpResponse<Buffer> served = ts.api.get("/openapi.yaml", null);
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = new ObjectMapper(new YAMLFactory()).readValue(served.body().getBytes(), Map.class);
    JsonObject document = new JsonObject(doc);
    JsonObject components = document.getJsonObject("components").getJsonObject("responses");
    int checked = 0;
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (!(paths.getJsonObject(path).getValue(method) instanceof JsonObject operation)
            || !operation.containsKey("responses")) {
          continue;
        }
        JsonObject responses = operation.getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          if (!status.startsWith("4") && !status.startsWith("5")) {
            continue;
          }
          JsonObject response = responses.getJsonObject(status);
          String ref = response.getString("$ref");
          if (ref != null) {
            response = components.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
          }
          String where = method + " " + path + " " + status;
          if (operation.getString("operationId").equals("getReady") && status.equals("503")) {
            // The readiness report is the health check's JSON, not a problem.
            assertThat(response.getJsonObject("content").fieldNames()).as(where).containsExactly("application/json");
            continue;
          }
          assertThat(response.getJsonObject("content").fieldNames()).as(where).containsExactly("application/problem+json");
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(40);
  }
}
