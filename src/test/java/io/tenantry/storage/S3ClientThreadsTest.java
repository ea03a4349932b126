package io.tenantry.storage;

import io.tenantry.config.Config;
import io.tenantry.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3Client called from a thread that is not Vert.x's (a test's, an executor's) answers every call: before its
 * exchanges ran on a context, one call in a few waited for the idle timeout (the response ended before its body
 * handler was set on another thread).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ClientThreadsTest {
  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    server = Await.result(vertx.createHttpServer().requestHandler(req -> {
      served.incrementAndGet();
      req.response().end("<ListBucketResult></ListBucketResult>");
    }).listen(0, "127.0.0.1"));
  }

  @AfterAll
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void everyCallFromAForeignThreadIsAnswered() throws InterruptedException {
    S3Client client = new S3Client(vertx, new Config.S3Settings("http://127.0.0.1:" + server.actualPort(), "eu-west-1",
      "files", "AKEXAMPLE", "secret/EXAMPLE", true, "t"));
    int calls = 1000;
    for (int i = 0; i < calls; i++) {
      S3Client.Answer answer = Await.result(client.call(HttpMethod.GET, null, Map.of("list-type", "2"), Map.of(), null), 5);
      assertThat(answer.body().toString()).as("call %d", i).contains("ListBucketResult");
      if (i % 2 == 0) {
        Thread.sleep(1); // the answer often ends before the caller's thread runs again: the case that hung
      }
    }
    assertThat(served.get()).isEqualTo(calls);
    Await.result(client.close());
  }
}
