package io.tenantry.auth;

import io.tenantry.users.PasswordHashing;
import io.tenantry.users.Passwords;
import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password hashes run on their own bounded pool: never on Vert.x's default worker pool (which validates every API
 * request), and sign-ins beyond its threads and queue are refused at once with 503 instead of waiting.
 * Slow hashes (a million iterations) make the concurrency visible.
 */
class PasswordHashingPoolTest {
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of(
      "auth.password-iterations", "1000000",
      "login.hash-threads", "1",
      "login.hash-queue", "1"));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static Future<HttpResponse<Buffer>> signIn() {
    return ts.http.post("/auth/token").sendJsonObject(new JsonObject()
      .put("email", TestServer.ADMIN_EMAIL).put("password", TestServer.ADMIN_PASSWORD));
  }

  /** Names of the threads (of this JVM, the server's included) now running PBKDF2 for {@link Passwords}. */
  private static Set<String> threadsHashing() {
    Set<String> names = new HashSet<>();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (Arrays.stream(stack).anyMatch(frame -> frame.getClassName().equals(Passwords.class.getName()))) {
        names.add(thread.getName());
      }
    });
    return names;
  }

  @Test
  void hashingNeverRunsOnTheDefaultWorkerPool() {
    Set<String> seen = new HashSet<>();
    Future<HttpResponse<Buffer>> login = signIn();
    Eventually.within(Duration.ofSeconds(30), "a hash seen running", () -> {
      seen.addAll(threadsHashing());
      return !seen.isEmpty() || login.isComplete();
    });
    assertThat(Await.result(login, 60).statusCode()).isEqualTo(200);
    assertThat(seen).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith(PasswordHashing.POOL));
  }

  @Test
  void signInsBeyondTheThreadsAndQueueGetTheOverloadProblemAtOnce() {
    List<Future<HttpResponse<Buffer>>> logins = new ArrayList<>();
    long[] tookNanos = new long[8];
    for (int i = 0; i < tookNanos.length; i++) {
      int n = i;
      long sent = System.nanoTime();
      logins.add(signIn().andThen(done -> tookNanos[n] = System.nanoTime() - sent));
    }
    Await.result(Future.join(logins), 120);
    long slowestRefusal = 0;
    long fastestSignIn = Long.MAX_VALUE;
    int refused = 0;
    for (int i = 0; i < tookNanos.length; i++) {
      HttpResponse<Buffer> r = logins.get(i).result();
      if (r.statusCode() == 503) {
        refused++;
        slowestRefusal = Math.max(slowestRefusal, tookNanos[i]);
        assertThat(assertProblem(r, 503).getString("detail")).contains("Retry-After");
        assertThat(r.getHeader("Retry-After")).isEqualTo("1");
      } else {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
        fastestSignIn = Math.min(fastestSignIn, tookNanos[i]);
      }
    }
    assertThat(refused).as("one hash running and one queued at most, of 8 at once").isGreaterThanOrEqualTo(4);
    assertThat(fastestSignIn).as("some sign-ins were served").isLessThan(Long.MAX_VALUE);
    assertThat(slowestRefusal).as("a refused sign-in does not wait for a hash").isLessThan(fastestSignIn);
  }
}
