package io.tenantry.auth;

import io.tenantry.support.Api;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /auth/token through the real server: failed sign-ins throttle the email and the client address, and a
 * throttled attempt gets exactly the answer of a wrong password. Each test signs in from a loopback address of its
 * own (127.0.0.x), so the address counts of one test do not reach another's.
 */
class LoginThrottlingTest {
  private static final String WRONG = "not-the-password-at-all";
  private static TestServer ts;
  private static String admin;
  private final List<WebClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of(
      "login.account-failures", "3",
      "login.address-failures", "6",
      "login.backoff-seconds", "1",
      "login.backoff-max-seconds", "2"));
    admin = ts.adminToken();
    ts.createTenant(admin, "gamma");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WebClient::close);
  }

  /** A client whose connections come from {@code 127.0.0.<host>}. */
  private Api from(int host) {
    WebClient client = WebClient.create(ts.vertx, new WebClientOptions()
      .setDefaultHost("127.0.0.1").setDefaultPort(ts.config.httpPort()).setLocalAddress("127.0.0." + host));
    clients.add(client);
    return new Api(client);
  }

  private static HttpResponse<Buffer> signIn(Api api, String email, String password) {
    return api.post("/auth/token", null, new JsonObject().put("email", email).put("password", password));
  }

  private static String passwordOf(String email) {
    return "password-of-" + email;
  }

  /** The answer without its request id, which differs by design. */
  private static JsonObject refusal(HttpResponse<Buffer> r) {
    JsonObject body = assertProblem(r, 401).copy();
    body.remove("instance");
    assertThat(r.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"tenantry\"");
    assertThat(r.getHeader("Retry-After")).isNull();
    return body;
  }

  @Test
  void repeatedWrongPasswordsThrottleTheAccountWithTheSameAnswerUntilTheBackoffEnds() {
    Api api = from(11);
    String email = "dana@gamma.test";
    ts.addUser(admin, "gamma", email, "member");
    assertThat(signIn(api, email, passwordOf(email)).statusCode()).as("before any failure").isEqualTo(200);

    JsonObject wrongPassword = refusal(signIn(api, email, WRONG));
    refusal(signIn(api, email, WRONG));
    refusal(signIn(api, email, WRONG));

    HttpResponse<Buffer> throttled = signIn(api, email, passwordOf(email));
    assertThat(refusal(throttled)).as("the right password while throttled").isEqualTo(wrongPassword);
    assertThat(throttled.headers().names()).containsExactlyInAnyOrderElementsOf(
      signIn(from(12), "nobody@gamma.test", WRONG).headers().names());

    Eventually.within(Duration.ofSeconds(10), "the right password accepted after the back-off",
      () -> signIn(api, email, passwordOf(email)).statusCode() == 200);
  }

  @Test
  void aSuccessResetsTheAccountsFailures() {
    Api api = from(13);
    String email = "erin@gamma.test";
    ts.addUser(admin, "gamma", email, "member");
    refusal(signIn(api, email, WRONG));
    refusal(signIn(api, email, WRONG));
    assertThat(signIn(api, email, passwordOf(email)).statusCode()).isEqualTo(200);
    refusal(signIn(api, email, WRONG));
    refusal(signIn(api, email, WRONG));
    assertThat(signIn(api, email, passwordOf(email)).statusCode()).as("two failures since the success").isEqualTo(200);
  }

  @Test
  void anUnknownEmailIsThrottledLikeAKnownOne() {
    Api api = from(14);
    String email = "frank@gamma.test";
    JsonObject unknown = refusal(signIn(api, email, WRONG));
    refusal(signIn(api, email, WRONG));
    refusal(signIn(api, email, WRONG));
    // Had the unknown email not been counted, its new account would now accept its password at once.
    ts.addUser(admin, "gamma", email, "member");
    assertThat(refusal(signIn(api, email, passwordOf(email)))).isEqualTo(unknown);
    Eventually.within(Duration.ofSeconds(10), "accepted after the back-off",
      () -> signIn(api, email, passwordOf(email)).statusCode() == 200);
  }

  @Test
  void anAddressGuessingManyEmailsIsThrottledForEveryEmailButOtherAddressesAreNot() {
    Api attacker = from(15);
    String email = "gina@gamma.test";
    ts.addUser(admin, "gamma", email, "member");
    for (int i = 0; i < 6; i++) {
      refusal(signIn(attacker, "guess" + i + "@gamma.test", WRONG));
    }
    refusal(signIn(attacker, email, passwordOf(email)));
    assertThat(signIn(from(16), email, passwordOf(email)).statusCode()).isEqualTo(200);
  }
}
