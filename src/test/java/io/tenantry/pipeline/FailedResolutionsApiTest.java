package io.tenantry.pipeline;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A super-admin who keeps naming unknown tenants is slowed down, without touching anybody else. */
class FailedResolutionsApiTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static String admin;

  @BeforeAll
  static void start() {
    ts = TestServer.start(java.util.Map.of("tenancy.unknown-tenants-per-minute", "20"));
    admin = ts.adminToken();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<Buffer> list(String token, String tenant) {
    return ts.api.send(ts.api.request(HttpMethod.GET, NOTES, token).putHeader("X-Tenant-ID", tenant));
  }

  @Test
  void unknownTenantsAreAnsweredUntilTheCallersAllowanceIsSpentThen429() {
    String member = ts.tenantWithUser(admin, "steady", "member");
    int notFound = 0;
    HttpResponse<Buffer> r = list(admin, "unknown-0");
    for (int i = 1; i < 60 && r.statusCode() == 404; i++) {
      notFound++;
      r = list(admin, "unknown-" + i);
    }
    assertThat(notFound).isEqualTo(21);
    assertProblem(r, 429);
    assertThat(r.getHeader("Retry-After")).isNotNull();
    // Another caller is not affected, and its own data plane works.
    HttpResponse<Buffer> own = ts.api.get(NOTES, member);
    assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(200);
    assertProblem(list(member, "unknown-1"), 403);
  }
}
