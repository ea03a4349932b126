package io.tenantry.portal;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's usage and invoice screens in headless Chromium against a real server whose meters flush every 100 ms:
 * real traffic of a priced, subscribed tenant, read back as chart data, a draft invoice and the super-admin ranking.
 * Screenshots land in target/portal-screenshots/; the browser console must stay free of errors.
 */
class PortalUsageBrowserTest {
  private static final String SLUG = "usage-co";
  private static final int READS = 7;
  private static final int WRITES = 3;
  private static TestServer ts;
  private static Browser browser;

  @BeforeAll
  static void start() {
    Browser.missing().ifPresent(reason -> Assumptions.abort("browser tests skipped: " + reason));
    ts = TestServer.start(Map.of("tenancy.default-isolation", "shared", "metering.flush-ms", "100",
      "db.connect-timeout-ms", "30000"));
    String root = ts.adminToken();
    ok(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/metered", root),
      new JsonObject().put("rate", 1000).put("burst", 1000)), 200);
    ok(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/metered/pricing", root),
      new JsonObject().put("currency", "EUR").put("base_fee", 0).put("meters", new JsonObject()
        .put("requests_read", new JsonObject().put("included", 0).put("tiers", new JsonArray()
          .add(new JsonObject().putNull("up_to").put("unit_price", 10)))))), 200);
    String admin = ts.tenantWithUser(root, SLUG, "tenant_admin");
    String monthStart = Instant.now().atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS)
      .toInstant().toString();
    ok(ts.api.post("/admin/v1/tenants/" + SLUG + "/subscriptions", root,
      new JsonObject().put("plan", "metered").put("effective_from", monthStart)), 201);
    // the tenant's own traffic: reads and writes of records, metered and flushed within a fraction of a second
    for (int i = 0; i < READS; i++) {
      ok(ts.api.get("/api/v1/collections/notes/records", admin), 200);
    }
    for (int i = 0; i < WRITES; i++) {
      ok(ts.api.post("/api/v1/collections/notes/records", admin, new JsonObject().put("n", i)), 201);
    }
    Eventually.within(Duration.ofSeconds(20), "usage stored", () -> stored(root, "requests_read") >= READS
      && stored(root, "requests_write") >= WRITES);
    browser = Browser.open(ts.config.httpPort());
  }

  private static long stored(String root, String meter) {
    HttpResponse<Buffer> r = ts.api.get("/api/v1/usage?meter=" + meter, root,
      MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", SLUG));
    ok(r, 200);
    return r.bodyAsJsonObject().getJsonArray("items").stream().mapToLong(o -> ((JsonObject) o).getLong("quantity")).sum();
  }

  private static void ok(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (ts != null) {
      ts.close();
    }
  }

  @BeforeEach
  void signedInAsSuperAdmin() {
    browser.go("/admin/");
    browser.waitFor("form.signin, #who .email");
    if (!browser.all("form.signin").isEmpty()) {
      browser.type("form.signin input[name=email]", TestServer.ADMIN_EMAIL);
      browser.type("form.signin input[name=password]", TestServer.ADMIN_PASSWORD);
      browser.waitFor("form.signin button[type=submit]").click();
      browser.waitForText("#who .email", TestServer.ADMIN_EMAIL);
    }
  }

  @AfterEach
  void noConsoleErrors() {
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  /** The sum of a chart's dataset, read from the Chart.js instance drawn on its canvas. */
  private static long chartSum(String chart, int dataset) {
    Object sum = browser.script("const c = Chart.getChart(document.querySelector(arguments[0]));"
      + "return c ? c.data.datasets[arguments[1]].data.reduce((a, b) => a + b, 0) : -1;",
      "figure[data-chart='" + chart + "'] canvas", dataset);
    return ((Number) sum).longValue();
  }

  @Test
  void theUsageScreenChartsTheTenantsRequestsWithTheirFiguresInATable() {
    browser.go("/admin/#/t/" + SLUG + "/usage");
    browser.waitFor("#usage-charts[data-ready] figure[data-chart=requests] canvas");
    assertThat(chartSum("requests", 0)).as("read requests charted").isGreaterThanOrEqualTo(READS);
    assertThat(chartSum("requests", 1)).as("write requests charted").isGreaterThanOrEqualTo(WRITES);
    assertThat(chartSum("egress", 0)).as("egress charted").isPositive();
    assertThat(chartSum("active-users", 0)).as("active users charted").isPositive();
    assertThat(Long.parseLong(browser.waitFor("#usage-totals [data-total=requests_read]").getText().replace(",", "")))
      .isGreaterThanOrEqualTo(READS);
    // the same figures as a table, for keyboards and screen readers
    WebElement summary = browser.waitFor("figure[data-chart=requests] details summary");
    summary.sendKeys(Keys.ENTER);
    List<WebElement> reads = browser.all("figure[data-chart=requests] details tbody td:nth-of-type(1)");
    assertThat(reads.stream().mapToLong(td -> Long.parseLong(td.getText())).sum()).isGreaterThanOrEqualTo(READS);
    assertThat(browser.script("return document.querySelector(\"figure[data-chart=requests] canvas\").getAttribute('aria-label')"))
      .asString().contains("Requests");
    browser.screenshot("20-usage");

    // by day over 30 days: the same requests in fewer buckets
    new Select(browser.waitFor("select[name=range]")).selectByValue("30d");
    assertThat(new Select(browser.waitFor("select[name=granularity]")).getFirstSelectedOption().getAttribute("value"))
      .isEqualTo("day");
    browser.waitFor("form.filters button[type=submit]").click();
    Eventually.within(Duration.ofSeconds(20), "daily buckets shown", () -> Instant.now().toString().substring(0, 10)
      .equals(browser.script("return document.querySelector('figure[data-chart=requests] tbody tr:last-child th')?.textContent")));
    assertThat(chartSum("requests", 0)).isGreaterThanOrEqualTo(READS);
    assertThat(browser.all("figure[data-chart=requests] details tbody tr")).hasSize(30);
  }

  @Test
  void aRefusedRangeShowsTheProblemNextToTheAction() {
    browser.go("/admin/#/t/" + SLUG + "/usage");
    browser.waitFor("#usage-charts[data-ready]");
    new Select(browser.waitFor("select[name=range]")).selectByValue("custom");
    // datetime-local inputs take their value through the keyboard in Chromium's format; set it as a user would paste
    browser.script("document.querySelector('input[name=from]').value = '2026-11-02T00:00';"
      + "document.querySelector('input[name=to]').value = '2026-11-01T00:00';");
    browser.waitFor("form.filters button[type=submit]").click();
    WebElement problem = browser.waitFor("form.filters .problem");
    assertThat(problem.getText()).contains("Bad request").contains("from must be before to");
    assertThat(problem.getAttribute("role")).isEqualTo("alert");
    List<String> errors = browser.consoleErrors();
    assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e).contains("status of 400"));
  }

  @Test
  void theDraftInvoiceOpensWithItsLinesAndTotalAndDownloadsAsCsv() {
    browser.go("/admin/#/t/" + SLUG + "/invoices");
    WebElement view = browser.waitFor("#invoice-list button[data-invoice]");
    assertThat(browser.waitFor("#invoice-list td").getText()).isEqualTo(Instant.now().toString().substring(0, 7));
    view.sendKeys(Keys.ENTER);
    WebElement title = browser.waitForText("#invoice-title", "Invoice " + Instant.now().toString().substring(0, 7));
    assertThat(browser.driver.switchTo().activeElement()).isEqualTo(title);
    assertThat(browser.waitFor("#invoice-detail [data-fact=State]").getText()).isEqualTo("draft");
    WebElement line = browser.waitForElementWithText("#invoice-lines tr", "requests_read");
    assertThat(line.getText()).contains(SLUG).contains("€0.10");
    assertThat(browser.waitFor("#invoice-detail [data-fact=Total]").getText()).startsWith("€");
    assertThat(browser.waitFor("#credit-notes").getText()).isEqualTo("None.");
    browser.screenshot("21-invoice");

    browser.waitForElementWithText("#invoice-detail button", "Download CSV").click();
    WebElement link = browser.waitFor("#invoice-detail a[data-download=csv]");
    assertThat(link.getAttribute("download")).isEqualTo("invoice-" + SLUG + "-" + Instant.now().toString().substring(0, 7) + ".csv");
    // the file's content is BillingApiTest's; here: the portal fetched it with the session's token and offers it
    assertThat(link.getText()).matches("Save invoice-.*\\.csv \\([1-9][0-9]* bytes\\)");
    assertThat(browser.driver.switchTo().activeElement()).isEqualTo(link);
    browser.waitForElementWithText("#invoice-detail button", "printable HTML").click();
    assertThat(browser.waitFor("#invoice-detail a[data-download=html]").getText()).endsWith("bytes)");
  }

  @Test
  void superAdminsSeeTheTopTenantsByAMeter() {
    browser.go("/admin/#/usage");
    browser.waitFor("#top-usage[data-ready] figure[data-chart=top] canvas");
    WebElement tenant = browser.waitForElementWithText("#top-usage td a", SLUG);
    assertThat(tenant.getAttribute("href")).endsWith("#/t/" + SLUG + "/usage");
    assertThat(chartSum("top", 0)).isGreaterThanOrEqualTo(READS);
    new Select(browser.waitFor("select[name=meter]")).selectByValue("requests_write");
    browser.waitFor("form.filters button[type=submit]").click();
    browser.waitForText("#top-usage figcaption", "requests_write");
    assertThat(chartSum("top", 0)).isGreaterThanOrEqualTo(WRITES);
    browser.screenshot("22-top-usage");
    tenant = browser.waitForElementWithText("#top-usage td a", SLUG);
    tenant.click();
    browser.waitFor("#usage-charts[data-ready] figure[data-chart=requests]");
    assertThat(browser.all("#nav a").stream().map(WebElement::getText)).contains("Usage");
    assertThat(browser.all("#tenant-nav a[aria-current=page]").stream().map(WebElement::getText)).containsExactly("Usage");
  }
}
