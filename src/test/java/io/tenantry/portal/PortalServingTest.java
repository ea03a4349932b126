package io.tenantry.portal;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The portal's files are public and locked down by their headers; the admin API beside them still needs a token. */
class PortalServingTest {
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start(java.util.Map.of("db.connect-timeout-ms", "30000"));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @Test
  void thePortalPageIsServedWithoutATokenUnderAStrictPolicy() {
    HttpResponse<Buffer> page = ts.api.get("/admin/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("<script type=\"module\" src=\"js/main.js\"></script>");
    String csp = page.getHeader("Content-Security-Policy");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
      .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.getHeader("X-Request-Id")).isNotBlank();
    assertThat(page.getHeader("Set-Cookie")).isNull();
  }

  @Test
  void scriptsAreServedAsJavaScriptWithTheSameHeaders() {
    HttpResponse<Buffer> script = ts.api.get("/admin/js/main.js", null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("Content-Type")).contains("javascript");
    assertThat(script.getHeader("Content-Security-Policy")).isEqualTo(PortalHeaders.CSP);
    HttpResponse<Buffer> library = ts.api.get("/admin/lib/gridjs/gridjs.module.min.js", null);
    assertThat(library.statusCode()).isEqualTo(200);
    assertThat(ts.api.get("/admin/lib/gridjs/LICENSE", null).bodyAsString()).contains("MIT License");
  }

  @Test
  void noPortalFileUsesInlineScriptOrStyleAttributes() {
    String page = ts.api.get("/admin/", null).bodyAsString();
    assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain(" style=").doesNotContainPattern(" on[a-z]+=");
  }

  @Test
  void adminWithoutSlashRedirectsToThePortal() {
    HttpResponse<Buffer> r = ts.api.send(ts.api.request(HttpMethod.GET, "/admin", null).followRedirects(false));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.getHeader("Location")).isEqualTo("/admin/");
  }

  @Test
  void anUnknownFileIsAProblem404AndOtherMethodsA405() {
    HttpResponse<Buffer> missing = ts.api.get("/admin/nothing-here.js", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("Content-Type")).isEqualTo("application/problem+json");
    HttpResponse<Buffer> post = ts.api.send(ts.api.request(HttpMethod.POST, "/admin/index.html", null));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(ts.api.get("/admin/../pom.xml", null).statusCode()).isIn(400, 404);
  }

  @Test
  void theAdminApiBesideThePortalStillNeedsAToken() {
    assertThat(ts.api.get("/admin/v1/tenants", null).statusCode()).isEqualTo(401);
    assertThat(ts.api.get("/admin/v1/tenants", ts.adminToken()).statusCode()).isEqualTo(200);
    assertThat(ts.api.get("/admin/v1/tenants", null).getHeader("Content-Security-Policy")).isNull();
  }

  @Test
  void theDispatchSendsOnlyNonApiAdminPathsToThePortal() {
    assertThat(Portal.serves("/admin")).isTrue();
    assertThat(Portal.serves("/admin/")).isTrue();
    assertThat(Portal.serves("/admin/js/main.js")).isTrue();
    assertThat(Portal.serves("/admin/v1/tenants")).isFalse();
    assertThat(Portal.serves("/admin//v1/tenants")).isFalse();
    assertThat(Portal.serves("/admin/v1")).isFalse();
    assertThat(Portal.serves("/administrator")).isFalse();
    assertThat(Portal.serves("/api/v1/collections/x/records")).isFalse();
    assertThat(Portal.serves("/auth/token")).isFalse();
  }
}
