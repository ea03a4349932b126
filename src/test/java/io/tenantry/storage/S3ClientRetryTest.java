package io.tenantry.storage;

import io.tenantry.config.Config;
import io.tenantry.http.Problem;
import io.tenantry.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 client asks again when the store fails in a way S3 documents as worth retrying (5xx, a connection closed
 * before an answer, silence past the idle timeout), at most three times, and never for a final answer (4xx, 501);
 * what still fails reaches the request's client as a 503 storage-unavailable. Against an HTTP server that fails the
 * first requests it gets as told (s3rver cannot be made to fail on demand).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ClientRetryTest {
  private Vertx vertx;
  private HttpServer server;
  /** How the next requests fail, one entry each, before the server answers normally. */
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private S3Client client;
  /** The client's idle timeout here: a store silent this long is asked again. */
  private static final long STALL_MS = 500;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    server = Await.result(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"), 10);
    client = new S3Client(vertx, settings(), STALL_MS);
  }

  private Config.S3Settings settings() {
    return new Config.S3Settings("http://127.0.0.1:" + server.actualPort(), "us-east-1", "files", "AKEXAMPLE",
      "secret/EXAMPLE", true, "t");
  }

  @AfterAll
  void stop() {
    Await.result(vertx.close(), 10);
  }

  @BeforeEach
  void reset() {
    failures.clear();
    bodies.clear();
    requests.set(0);
  }

  private void handle(HttpServerRequest req) {
    requests.incrementAndGet();
    req.body().onSuccess(body -> {
      bodies.add(body.toString());
      String failure = failures.isEmpty() ? null : failures.remove(0);
      if ("stall".equals(failure)) {
        return; // took the request, never answers
      }
      if ("close".equals(failure)) {
        req.connection().close();
      } else if (failure != null) {
        int status = Integer.parseInt(failure.substring(0, 3));
        req.response().setStatusCode(status)
          .end("<Error><Code>" + failure.substring(4) + "</Code><Message>as told</Message></Error>");
      } else if (req.method() == HttpMethod.GET) {
        req.response().setStatusCode(206).end("the blob's bytes");
      } else {
        req.response().putHeader("ETag", "\"e\"").end();
      }
    });
  }

  @Test
  void aStoreFailingTwiceIsAskedAgainWithTheSameBody() {
    failures.addAll(List.of("500 InternalError", "503 SlowDown"));
    S3Client.Answer answer = Await.result(client.call(HttpMethod.PUT, "t/k", Map.of("partNumber", "1", "uploadId", "u"),
      Map.of(), Buffer.buffer("part one")), 10);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(requests.get()).isEqualTo(3);
    assertThat(bodies).containsExactly("part one", "part one", "part one");
  }

  @Test
  void aConnectionClosedBeforeAnAnswerIsTriedAgain() {
    failures.add("close");
    assertThat(Await.result(client.call(HttpMethod.DELETE, "t/k", Map.of(), Map.of(), null), 10).status()).isEqualTo(200);
    assertThat(requests.get()).isEqualTo(2);
  }

  @Test
  void aStoreThatTookTheRequestAndWentSilentIsAskedAgainAfterTheIdleTimeout() {
    failures.add("stall");
    S3Client.Answer answer = Await.result(client.call(HttpMethod.PUT, "t/k", Map.of(), Map.of(),
      Buffer.buffer("small file")), 10);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(requests.get()).isEqualTo(2);
    assertThat(bodies).containsExactly("small file", "small file");
  }

  @Test
  void aStoreStillFailingAfterThreeAttemptsIsUnavailableToTheClient() {
    failures.addAll(List.of("500 InternalError", "500 InternalError", "500 InternalError", "500 InternalError"));
    Throwable failed = failureOf(client.call(HttpMethod.POST, "t/k", Map.of("uploadId", "u"), Map.of(),
      Buffer.buffer("<CompleteMultipartUpload/>")));
    assertThat(requests.get()).isEqualTo(S3Client.ATTEMPTS);
    assertThat(failed).isInstanceOf(S3Client.S3Failure.class);
    Throwable told = S3Client.forClient(failed);
    assertThat(told).isInstanceOf(Problem.class);
    Problem problem = (Problem) told;
    assertThat(problem.status()).isEqualTo(503);
    assertThat(problem.type()).isEqualTo("storage-unavailable");
    assertThat(problem.detail()).contains("500 InternalError").contains("nothing was stored or removed");
  }

  @Test
  void aFinalAnswerIsNotRepeated() {
    failures.addAll(List.of("403 AccessDenied", "403 AccessDenied"));
    Throwable denied = failureOf(client.call(HttpMethod.GET, null, Map.of("list-type", "2"), Map.of(), null));
    assertThat(((S3Client.S3Failure) denied).status).isEqualTo(403);
    assertThat(requests.get()).isEqualTo(1);
    assertThat(S3Client.forClient(denied)).isSameAs(denied); // a misconfiguration: the server's fault, logged as such

    failures.clear();
    failures.add("501 NotImplemented");
    requests.set(0);
    Throwable unsupported = failureOf(client.call(HttpMethod.GET, null, Map.of("uploads", ""), Map.of(), null));
    assertThat(((S3Client.S3Failure) unsupported).status).isEqualTo(501);
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void aDownloadTheStoreFailsBeforeItsFirstByteIsAskedAgain() throws Exception {
    failures.add("503 SlowDown");
    S3BlobStore store = new S3BlobStore(vertx, settings());
    Path file = Files.createTempFile("s3-retry-", ".bin");
    try {
      AsyncFile out = Await.result(vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true)), 10);
      Await.result(store.readInto(UUID.randomUUID(), Blobs.newName(), 0, 16, out), 10); // the pipe closes the file
      assertThat(Files.readString(file)).isEqualTo("the blob's bytes");
      assertThat(requests.get()).isEqualTo(2);
    } finally {
      Files.deleteIfExists(file);
      Await.result(store.close(), 10);
    }
  }

  @Test
  void aSmallUploadTheStoreFailsIsSentAgainWhole() throws Exception {
    failures.add("500 InternalError");
    S3BlobStore store = new S3BlobStore(vertx, settings());
    Path file = Files.createTempFile("s3-retry-", ".txt");
    try {
      Files.writeString(file, "a small file");
      AsyncFile in = Await.result(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)), 10);
      BlobStore.Written written = Await.result(store.write(UUID.randomUUID(), Blobs.newName(), in, 12, 1000), 10);
      assertThat(written.size()).isEqualTo(12);
      assertThat(written.sha256()).isEqualTo(SigV4.sha256Hex("a small file"));
      assertThat(requests.get()).isEqualTo(2);
      assertThat(bodies).containsExactly("a small file", "a small file");
    } finally {
      Files.deleteIfExists(file);
      Await.result(store.close(), 10);
    }
  }

  private static Throwable failureOf(io.vertx.core.Future<?> future) {
    return Await.result(future.map(ok -> (Throwable) null).otherwise(e -> e), 10);
  }
}
