package io.tenantry.auth;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused sign-in is answered after login.refusal-delay-ms, so a flood on N connections gets N answers per delay. */
class LoginRefusalDelayTest {
  private static final int DELAY_MS = 600;
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("login.refusal-delay-ms", Integer.toString(DELAY_MS)));
    ts.tenantWithUser(ts.adminToken(), "delayed", "member");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static long timedSignIn(String email, String password, int expectedStatus, JsonObject[] body) {
    long start = System.nanoTime();
    HttpResponse<Buffer> r = ts.api.post("/auth/token", null,
      new JsonObject().put("email", email).put("password", password).put("tenant", "delayed"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(expectedStatus);
    body[0] = r.bodyAsJsonObject();
    return ms;
  }

  @Test
  void refusalsWaitTheDelayAndSuccessesDoNot() {
    JsonObject[] body = new JsonObject[1];
    long wrongPassword = timedSignIn("member@delayed.test", "not-the-password", 401, body);
    String refusedDetail = body[0].getString("detail");
    long unknownEmail = timedSignIn("nobody@delayed.test", "not-the-password", 401, body);
    assertThat(body[0].getString("detail")).isEqualTo(refusedDetail);
    long right = timedSignIn("member@delayed.test", "password-of-member@delayed.test", 200, body);
    assertThat(body[0].getString("access_token")).isNotBlank();
    assertThat(wrongPassword).isGreaterThanOrEqualTo(DELAY_MS);
    assertThat(unknownEmail).isGreaterThanOrEqualTo(DELAY_MS);
    assertThat(right).isLessThan(DELAY_MS);
  }
}
