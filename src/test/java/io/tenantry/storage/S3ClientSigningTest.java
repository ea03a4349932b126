package io.tenantry.storage;

import io.tenantry.config.Config;
import io.tenantry.support.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What S3Client signs is what goes on the wire: a plain HTTP server receives its requests and the signature is
 * computed again from the request as received (Host as sent, path and query as sent). s3rver checks only the access
 * key, so this is where a mismatch between the signed and the sent Host, path or query would show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ClientSigningTest {
  private Vertx vertx;
  private HttpServer server;
  private final AtomicReference<Received> last = new AtomicReference<>();

  private record Received(String method, String path, String query, MultiMap headers) {
  }

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    server = Await.result(vertx.createHttpServer().requestHandler(req -> {
      last.set(new Received(req.method().name(), req.path(), req.query() == null ? "" : req.query(),
        MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
      req.response().end();
    }).listen(0, "127.0.0.1"));
  }

  @AfterAll
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void theSignatureHoldsForTheRequestAsReceived() {
    S3Client client = new S3Client(vertx, new Config.S3Settings("http://127.0.0.1:" + server.actualPort(), "eu-west-1",
      "files", "AKEXAMPLE", "secret/EXAMPLE", true, "t"));
    Await.result(client.call(HttpMethod.GET, null, Map.of("list-type", "2", "prefix", "t/a b/"), Map.of(), null));
    assertSignatureHolds();
    Await.result(client.call(HttpMethod.PUT, "t/0123/abcdef", Map.of(), Map.of("x-amz-copy-source", "/files/t/0123/x"),
      null));
    assertSignatureHolds();
    assertThat(last.get().path()).isEqualTo("/files/t/0123/abcdef");
    Await.result(client.close());
  }

  private void assertSignatureHolds() {
    Received r = last.get();
    String authorization = r.headers().get("Authorization");
    assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=AKEXAMPLE/");
    String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]*),.*", "$1");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : signedHeaders.split(";")) {
      assertThat(r.headers().get(name)).as("signed header " + name + " was sent").isNotNull();
      headers.put(name, r.headers().get(name));
    }
    String again = new SigV4("AKEXAMPLE", "secret/EXAMPLE", "eu-west-1", "s3").authorization(r.method(), r.path(),
      r.query(), headers, r.headers().get("x-amz-content-sha256"), r.headers().get("x-amz-date"));
    assertThat(again).isEqualTo(authorization);
  }
}
