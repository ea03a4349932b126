package io.tenantry.pipeline;

import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data plane's gate through the HTTP API: a caller is authorized in the tenant before that tenant is charged or
 * described; paths are judged as the router routes them; a request names its tenant unambiguously, over HTTP/1.1
 * and HTTP/2 alike; nothing is read of a body before the caller is let in; slow clients are cut off.
 */
class GateTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static String admin;
  private static String acmeMember;
  private static String globexMember;
  private static String globexId;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("http.header-timeout-ms", "1000"));
    admin = ts.adminToken();
    acmeMember = ts.tenantWithUser(admin, "acme", "member");
    globexMember = ts.tenantWithUser(admin, "globex", "member");
    globexId = ts.api.get("/admin/v1/tenants/globex", admin).bodyAsJsonObject().getString("id");
    ts.api.post(NOTES, acmeMember, new JsonObject().put("of", "acme"));
    ts.api.post(NOTES, globexMember, new JsonObject().put("of", "globex"));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<Buffer> list(String token, String header, String host, String path) {
    return ts.api.getNaming(path == null ? NOTES : path, token, header, host);
  }

  private static void assertOwnList(HttpResponse<Buffer> r, String of) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(r.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getJsonObject("data").getString("of")).isEqualTo(of);
  }

  @Test
  void aMemberNamingAnotherTenantIsRefusedWithoutChargingOrDescribingIt() {
    ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/tenants/globex/limits", admin),
      new JsonObject().put("rate", 1).put("burst", 5));
    HttpResponse<Buffer> before = list(globexMember, null, null, null);
    assertOwnList(before, "globex");
    int remainingBefore = Integer.parseInt(before.getHeader("RateLimit-Remaining"));
    for (int i = 0; i < 6; i++) {
      HttpResponse<Buffer> viaHeader = list(acmeMember, "globex", null, null);
      assertProblem(viaHeader, 403);
      assertThat(viaHeader.headers().names()).noneMatch(name -> name.toLowerCase().startsWith("ratelimit"));
      assertProblem(list(acmeMember, null, "globex.localhost", null), 403);
      assertProblem(list(acmeMember, null, null, "/t/globex" + NOTES), 403);
    }
    // 18 refused requests named globex; of its burst of 5 only its own member's next request is spent.
    HttpResponse<Buffer> own = list(globexMember, null, null, null);
    assertOwnList(own, "globex");
    assertThat(Integer.parseInt(own.getHeader("RateLimit-Remaining"))).isGreaterThanOrEqualTo(remainingBefore - 1);
  }

  @Test
  void existingAndMissingTenantsGetTheSameRefusal() {
    JsonObject existing = assertProblem(list(acmeMember, "globex", null, null), 403);
    JsonObject missing = assertProblem(list(acmeMember, "no-such-tenant", null, null), 403);
    JsonObject missingId = assertProblem(list(acmeMember, "00000000-0000-7000-8000-000000000000", null, null), 403);
    JsonObject existingId = assertProblem(list(acmeMember, globexId, null, null), 403);
    assertThat(missing.getString("detail")).isEqualTo(existing.getString("detail"));
    assertThat(missingId.getString("detail")).isEqualTo(existingId.getString("detail"));
    assertThat(existing.getString("detail")).doesNotContain("globex");
  }

  @Test
  void aSuspendedTenantIsNotDescribedToOutsiders() {
    String frozenMember = ts.tenantWithUser(admin, "frozen", "member");
    assertThat(ts.api.post("/admin/v1/tenants/frozen/suspend", admin, new JsonObject()).statusCode()).isEqualTo(200);
    JsonObject outsider = assertProblem(list(acmeMember, "frozen", null, null), 403);
    assertThat(outsider.getString("detail")).doesNotContain("suspended");
    JsonObject member = assertProblem(list(frozenMember, null, null, null), 403);
    assertThat(member.getString("detail")).contains("suspended");
  }

  @Test
  void aTokenWithoutATenantIsForSuperAdminsOnly() {
    String tenantless = ts.api.token("member@acme.test", "password-of-member@acme.test", null);
    JsonObject problem = assertProblem(list(tenantless, "acme", null, null), 403);
    assertThat(problem.getString("detail")).contains("super-admins").contains("POST /auth/token");
    assertProblem(list(tenantless, null, null, null), 403);
    assertOwnList(list(admin, "acme", null, null), "acme");
  }

  @Test
  void pathsThatNormalizeToTheDataPlaneAreGatedLikeIt() {
    assertOwnList(list(acmeMember, null, null, "/%61pi/v1/collections/notes/records"), "acme");
    for (String path : new String[] {"/" + NOTES, "/api/v1/./collections/notes/records",
      "/api/v1/x/../collections/notes/records", "/%61pi/v1/collections/notes/records"}) {
      // Served with the caller's own data, or refused as malformed where vertx-openapi reads path parameters from
      // the raw path — never a handler without its tenant.
      HttpResponse<Buffer> own = list(acmeMember, null, null, path);
      if (own.statusCode() == 200) {
        assertOwnList(own, "acme");
      } else {
        assertProblem(own, 400);
      }
      assertProblem(list(null, null, null, path), 401);
      assertProblem(list(acmeMember, "globex", null, path), 403);
    }
    assertOwnList(list(acmeMember, null, null, "/t/acme/./api/v1/collections/notes/records"), "acme");
    assertProblem(list(acmeMember, null, null, "/t/globex/./api/v1/collections/notes/records"), 403);
  }

  @Test
  void overHttp2TheAuthorityNamesTheTenantLikeHost() {
    WebClient h2 = WebClient.create(ts.vertx, new WebClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(ts.config.httpPort()));
    try {
      HttpResponse<Buffer> foreign = Await.result(h2.get(NOTES).virtualHost("globex.localhost")
        .bearerTokenAuthentication(acmeMember).send(), 10);
      assertThat(foreign.version()).isEqualTo(HttpVersion.HTTP_2);
      assertProblem(foreign, 403);
      HttpResponse<Buffer> own = Await.result(h2.get(NOTES).virtualHost("acme.localhost")
        .bearerTokenAuthentication(acmeMember).send(), 10);
      assertOwnList(own, "acme");
      HttpResponse<Buffer> byAuthority = Await.result(h2.get(NOTES).virtualHost("acme.localhost")
        .bearerTokenAuthentication(admin).send(), 10);
      assertOwnList(byAuthority, "acme");
    } finally {
      h2.close();
    }
  }

  @Test
  void aTenantHeaderSentTwiceIsBadRequest() {
    HttpResponse<Buffer> r = ts.api.send(ts.api.request(HttpMethod.GET, NOTES, acmeMember)
      .putHeaders(MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", "acme").add("X-Tenant-ID", "globex")));
    assertThat(assertProblem(r, 400).getString("detail")).contains("X-Tenant-ID").contains("once");
  }

  @Test
  void aHostSentTwiceOrDifferingFromTheTargetIsBadRequest() throws IOException {
    String twice = raw("GET " + NOTES + " HTTP/1.1\r\nHost: acme.localhost\r\nHost: globex.localhost\r\n"
      + "Authorization: Bearer " + admin + "\r\nConnection: close\r\n\r\n");
    assertThat(twice).startsWith("HTTP/1.1 400");
    String absolute = raw("GET http://globex.localhost" + NOTES + " HTTP/1.1\r\nHost: acme.localhost\r\n"
      + "Authorization: Bearer " + acmeMember + "\r\nConnection: close\r\n\r\n");
    assertThat(absolute).startsWith("HTTP/1.1 400").contains("differ");
    String agreeing = raw("GET http://acme.localhost" + NOTES + " HTTP/1.1\r\nHost: acme.localhost\r\n"
      + "Authorization: Bearer " + acmeMember + "\r\nConnection: close\r\n\r\n");
    assertThat(agreeing).startsWith("HTTP/1.1 200").contains("\"of\":\"acme\"");
  }

  @Test
  void aRefusedRequestIsAnsweredBeforeItsBodyIsSent() throws IOException {
    // Headers announcing a 1 MiB body, and no body: answered at once, not after waiting for the bytes.
    String anonymous = headersOnly("POST " + NOTES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      + "Content-Length: 1048576\r\n\r\n");
    assertThat(anonymous).startsWith("HTTP/1.1 401");
    String foreign = headersOnly("POST " + NOTES + " HTTP/1.1\r\nHost: globex.localhost\r\nContent-Type: application/json\r\n"
      + "Authorization: Bearer " + acmeMember + "\r\nContent-Length: 1048576\r\n\r\n");
    assertThat(foreign).startsWith("HTTP/1.1 403");
    String continued = headersOnly("POST /admin/v1/tenants HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      + "Expect: 100-continue\r\nContent-Length: 1048576\r\n\r\n");
    assertThat(continued).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
  }

  @Test
  void aClientTricklingItsHeadersIsCutOff() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", ts.config.httpPort())) {
      // The slow client under test sends a header line, then waits up to 100 ms for the server to hang up.
      socket.setSoTimeout(100);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
      long start = System.nanoTime();
      out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      boolean closed = false;
      for (int i = 0; i < 60 && !closed; i++) {
        try {
          out.write("X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          closed = readOrEnd(in) == -1;
        } catch (IOException e) {
          closed = true;
        }
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(closed).as("connection closed by the server").isTrue();
      assertThat(elapsedMs).isBetween(900L, 4_000L);
    }
  }

  @Test
  void aConnectionWithRequestsInProgressIsKeptAndItsResponsesArrive() {
    // A keep-alive client sending a request every 300 ms for 3 s (three header timeouts) keeps its connection.
    for (int i = 0; i < 10; i++) {
      assertOwnList(list(acmeMember, null, null, null), "acme");
      Await.result(ts.vertx.timer(300), 5);
    }
  }

  /** Reads what has arrived: the count, -1 when the server closed the connection, -2 when nothing came in time. */
  private static int readOrEnd(InputStream in) throws IOException {
    try {
      return in.read(new byte[4096]);
    } catch (SocketTimeoutException e) {
      return -2;
    } catch (IOException reset) {
      return -1;
    }
  }

  /** Sends a raw request (headers only) and returns what the server answers before closing or going quiet. */
  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", ts.config.httpPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Sends only a request's headers, promising a body, and returns the first answer the server sends. */
  private static String headersOnly(String head) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", ts.config.httpPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      byte[] buffer = new byte[4096];
      int n = socket.getInputStream().read(buffer);
      return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }
}
