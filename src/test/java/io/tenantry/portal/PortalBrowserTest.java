package io.tenantry.portal;

import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin portal in a real headless Chromium against a real server: every screen through the public API, as an
 * administrator would use it. Screenshots of the main screens land in target/portal-screenshots/. After each test the
 * browser's console must hold no error (a test that provokes a refused request accepts exactly those). Skipped, with
 * the reason, only when Chromium or chromedriver is not installed.
 */
class PortalBrowserTest {
  private static TestServer ts;
  private static Browser browser;
  private static String adminToken;

  @BeforeAll
  static void start() {
    Browser.missing().ifPresent(reason -> Assumptions.abort("browser tests skipped: " + reason));
    // A browser and a server share the machine: give the pool time to connect when it is busy.
    ts = TestServer.start(Map.of("tenancy.default-isolation", "shared", "db.connect-timeout-ms", "30000"));
    adminToken = ts.adminToken();
    browser = Browser.open(ts.config.httpPort());
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
    if (browser.all("form.signin").isEmpty() && browser.all("#who .email").isEmpty()) {
      browser.waitFor("form.signin, #who .email");
    }
    if (browser.all("form.signin").isEmpty() && !browser.waitFor("#who .email").getText().equals(TestServer.ADMIN_EMAIL)) {
      browser.script("sessionStorage.clear()"); // a test that failed as another user left its session
      browser.go("/admin/");
      browser.driver.navigate().refresh();
    }
    if (!browser.all("form.signin").isEmpty()) {
      signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
      browser.waitForText("#who .email", TestServer.ADMIN_EMAIL);
    }
  }

  @AfterEach
  void noConsoleErrors() {
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  private static void signIn(String email, String password) {
    browser.type("form.signin input[name=email]", email);
    browser.type("form.signin input[name=password]", password);
    browser.waitFor("form.signin button[type=submit]").click();
  }

  /** Drains the console, which must hold only the refused requests the test provoked (status 4xx). */
  private static void onlyRefusedRequestsLogged(int status) {
    List<String> errors = browser.consoleErrors();
    assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e).contains("status of " + status));
  }

  private void createTenant(String slug, String name) {
    var r = ts.api.post("/admin/v1/tenants", adminToken, new JsonObject().put("slug", slug).put("name", name));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  @Test
  void signInShowsTheProblemOfAWrongPasswordThenSignsInAndOut() {
    browser.waitFor("#who button.link").click();
    browser.waitFor("form.signin");
    assertThat(browser.waitFor("form.signin .notice").getText()).contains("signed out");
    signIn(TestServer.ADMIN_EMAIL, "not-the-password");
    WebElement problem = browser.waitFor("form.signin .problem");
    assertThat(problem.getText()).contains("Unauthorized");
    browser.screenshot("01-sign-in-problem");
    onlyRefusedRequestsLogged(401);
    assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);

    signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    browser.waitForText("#who .email", TestServer.ADMIN_EMAIL);
    assertThat(browser.driver.getCurrentUrl()).endsWith("#/tenants");
    assertThat(browser.script("return document.cookie")).isEqualTo("");
  }

  @Test
  void anExpiredAccessTokenIsRefreshedAndAnExpiredSessionGoesBackToSignIn() {
    browser.waitFor("#tenant-list");
    browser.script("const s = JSON.parse(sessionStorage.getItem('tenantry.portal.session'));"
      + "s.expiresAt = 0; sessionStorage.setItem('tenantry.portal.session', JSON.stringify(s));");
    browser.go("/admin/#/plans");
    browser.driver.navigate().refresh(); // the session is read from sessionStorage when the page loads
    browser.waitForElementWithText("td", "default");
    assertThat((Long) browser.script("return JSON.parse(sessionStorage.getItem('tenantry.portal.session')).expiresAt"))
      .isGreaterThan(System.currentTimeMillis());

    browser.script("const s = JSON.parse(sessionStorage.getItem('tenantry.portal.session'));"
      + "s.expiresAt = 0; s.refreshToken = 'rt_spent'; sessionStorage.setItem('tenantry.portal.session', JSON.stringify(s));");
    browser.go("/admin/#/pools");
    browser.driver.navigate().refresh();
    assertThat(browser.waitFor("form.signin .notice").getText()).contains("session has expired");
    List<String> errors = browser.consoleErrors();
    assertThat(errors).allSatisfy(e -> assertThat(e).containsAnyOf("status of 401", "status of 400"));
  }

  @Test
  void theWizardCreatesATenantAndFollowsItsProvisioningUntilItIsActive() {
    createTenant("wizard-parent", "Wizard parent");
    browser.go("/admin/#/tenants/new");
    browser.type("input[name=name]", "Acme Widgets");
    browser.waitForText("#slug-state", "'acme-widgets' is available");
    assertThat(browser.waitFor("input[name=slug]").getAttribute("value")).isEqualTo("acme-widgets");
    browser.screenshot("03-wizard");
    browser.waitFor("form.wizard button[type=submit]").click();
    browser.type("input[name=parent]", "wizard-parent");
    new Select(browser.waitFor("select[name=isolation]")).selectByValue("schema");
    new Select(browser.waitFor("select[name=plan]")).selectByValue("default");
    browser.waitFor("form.wizard button[type=submit]").click();
    browser.type("input[name=admin_email]", "owner@acme.test");
    browser.waitFor("form.wizard button[type=submit]").click();

    browser.waitForText(".provisioning-state", "State: active");
    assertThat(browser.all(".provisioning-steps li")).extracting(WebElement::getText)
      .anySatisfy(t -> assertThat(t).contains("migrations").contains("done"))
      .allSatisfy(t -> assertThat(t).containsAnyOf("done", "skipped"));
    browser.screenshot("04-provisioning-done");
    JsonObject created = ts.api.get("/admin/v1/tenants/acme-widgets", adminToken).bodyAsJsonObject();
    assertThat(created.getString("status")).isEqualTo("active");
    assertThat(created.getString("isolation")).isEqualTo("schema");
    assertThat(created.getString("parent")).isEqualTo("wizard-parent");

    browser.waitFor(".actions a.button.primary").click();
    browser.waitForText("h1", "Acme Widgets");
    assertThat(browser.waitFor(".breadcrumbs").getText()).contains("Wizard parent").contains("Acme Widgets");
  }

  @Test
  void aTakenSlugIsRefusedNextToTheSlugField() {
    createTenant("taken-slug", "Taken");
    browser.go("/admin/#/tenants/new");
    browser.type("input[name=name]", "Another");
    browser.type("input[name=slug]", "taken-slug");
    WebElement problem = browser.waitFor("#" + browser.waitFor("input[name=slug]").getAttribute("id") + "-problem");
    assertThat(problem.getText()).contains("Taken").contains("exists already");
    assertThat(browser.waitFor("input[name=slug]").getAttribute("aria-invalid")).isEqualTo("true");
  }

  @Test
  void theTenantListSearchesFiltersAndPages() {
    for (int i = 0; i < 22; i++) {
      createTenant(String.format("page-%02d", i), "Paged " + i);
    }
    ts.api.post("/admin/v1/tenants/page-03/suspend", adminToken, null);
    browser.go("/admin/#/tenants");
    browser.type("input[name=q]", "page-");
    browser.waitFor("form.filters button[type=submit]").click();
    browser.waitForElementWithText("td", "page-19");
    assertThat(browser.all("#tenant-list tbody tr")).hasSize(20);
    browser.screenshot("02-tenants");
    browser.waitForElementWithText(".pager button", "Next").click();
    browser.waitForElementWithText("td", "page-21");
    assertThat(browser.all("#tenant-list tbody tr")).hasSize(2);

    new Select(browser.waitFor("select[name=state]")).selectByValue("suspended");
    browser.waitFor("form.filters button[type=submit]").click();
    browser.waitForElementWithText("td", "page-03");
    assertThat(browser.all("#tenant-list tbody tr")).hasSize(1);
  }

  @Test
  void lifecycleActionsAskForConfirmationAndChangeTheState() {
    createTenant("life-cycle", "Life cycle");
    browser.go("/admin/#/t/life-cycle");
    browser.waitFor("button[data-action=suspend]").click();
    WebElement dialog = browser.waitFor("dialog[open]");
    assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo("Suspend");
    browser.screenshot("06-confirm-suspend");
    dialog.findElement(By.xpath(".//button[text()='Cancel']")).click();
    browser.waitGone("dialog");
    assertThat(browser.driver.switchTo().activeElement().getAttribute("data-action")).isEqualTo("suspend");
    assertThat(ts.api.get("/admin/v1/tenants/life-cycle", adminToken).bodyAsJsonObject().getString("status")).isEqualTo("active");

    browser.waitFor("button[data-action=suspend]").click();
    browser.waitFor("dialog[open] button.danger").click();
    browser.waitForText("[data-fact=State]", "suspended");
    assertThat(ts.api.get("/admin/v1/tenants/life-cycle", adminToken).bodyAsJsonObject().getString("status")).isEqualTo("suspended");
    browser.waitFor("button[data-action=resume]").click();
    browser.waitFor("dialog[open]").sendKeys(Keys.ESCAPE);
    browser.waitGone("dialog");
    browser.waitFor("button[data-action=resume]").click();
    browser.waitFor("dialog[open] button.danger").click();
    browser.waitForText("[data-fact=State]", "active");
    browser.screenshot("05-tenant-detail");
  }

  @Test
  void aTenantNamedLikeMarkupRendersAsText() {
    String name = "<img src=x onerror=alert(1)>";
    createTenant("xss-name", name);
    browser.go("/admin/#/tenants");
    browser.type("input[name=q]", "xss");
    browser.waitFor("form.filters button[type=submit]").click();
    assertThat(browser.waitForElementWithText("#tenant-list td a", name).getText()).isEqualTo(name);
    browser.go("/admin/#/t/xss-name");
    assertThat(browser.waitForText("h1", name).getText()).isEqualTo(name);
    assertThat(browser.all("main img")).isEmpty();
    assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    browser.screenshot("07-xss-name-as-text");
  }

  @Test
  void changingASettingShowsItsNewEffectiveValueAndWhereItComesFrom() {
    createTenant("config-me", "Config me");
    browser.go("/admin/#/t/config-me/config");
    browser.waitFor("button[data-edit=locale]").click();
    WebElement value = browser.waitFor("dialog[open] textarea[name=value]");
    value.clear();
    value.sendKeys("\"de-CH\"");
    browser.waitFor("dialog[open] button.primary").click();
    browser.waitGone("dialog");
    WebElement row = browser.waitForElementWithText("#config-list tr", "\"de-CH\"");
    assertThat(row.getText()).contains("locale").contains("tenant");
    browser.screenshot("08-configuration");
    assertThat(ts.api.get("/admin/v1/tenants/config-me/config/effective", adminToken).bodyAsJsonObject()
      .getJsonObject("settings").getJsonObject("locale").getString("value")).isEqualTo("de-CH");
  }

  @Test
  void aRefusedValueShowsTheProblemNextToTheField() {
    createTenant("config-bad", "Config bad");
    browser.go("/admin/#/t/config-bad/config");
    browser.waitFor("button[data-edit=locale]").click();
    WebElement value = browser.waitFor("dialog[open] textarea[name=value]");
    value.clear();
    value.sendKeys("\"not a locale\"");
    browser.waitFor("dialog[open] button.primary").click();
    WebElement problem = browser.waitFor("#" + value.getAttribute("id") + "-problem");
    assertThat(problem.getText()).contains("locale");
    assertThat(value.getAttribute("aria-invalid")).isEqualTo("true");
    browser.screenshot("09-problem-next-to-field");
    onlyRefusedRequestsLogged(422);
    browser.waitFor("dialog[open]").sendKeys(Keys.ESCAPE);
  }

  @Test
  void featureFlagsBrandingAndCollectionsAreEdited() {
    createTenant("flags-brand", "Flags and brand");
    browser.go("/admin/#/t/flags-brand/flags");
    WebElement flag = browser.waitFor("[data-flag='features.beta_dashboard']");
    new Select(flag.findElement(By.cssSelector("select[name=mode]"))).selectByValue("percentage");
    WebElement pct = flag.findElement(By.cssSelector("input[name=percentage]"));
    pct.clear();
    pct.sendKeys("25");
    flag.findElement(By.cssSelector("button.primary")).click();
    browser.waitForText("[data-flag='features.beta_dashboard'] p", "from tenant");
    browser.screenshot("10-feature-flags");
    assertThat(ts.api.get("/admin/v1/tenants/flags-brand/config", adminToken).bodyAsJsonObject()
      .getJsonObject("values").getJsonObject("features.beta_dashboard").getInteger("percentage")).isEqualTo(25);

    browser.go("/admin/#/t/flags-brand/branding");
    browser.type("input[name=display_name]", "Brand & Co");
    browser.script("const c = document.querySelector('input[name=primary]'); c.value = '#aa3300';"
      + "c.dispatchEvent(new Event('input'));");
    assertThat(browser.waitFor(".preview-name").getText()).isEqualTo("Brand & Co");
    assertThat(browser.script("return getComputedStyle(document.querySelector('.preview-bar')).backgroundColor"))
      .isEqualTo("rgb(170, 51, 0)");
    browser.waitFor("form.branding button[type=submit]").click();
    browser.waitForText("#status", "Branding saved");
    browser.screenshot("11-branding");
    JsonObject values = ts.api.get("/admin/v1/tenants/flags-brand/config", adminToken).bodyAsJsonObject().getJsonObject("values");
    assertThat(values.getString("branding.display_name")).isEqualTo("Brand & Co");
    assertThat(values.getJsonObject("branding.colors").getString("primary")).isEqualTo("#aa3300");

    browser.go("/admin/#/t/flags-brand/collections");
    browser.waitForElementWithText("button", "Add a schema").click();
    browser.type("dialog[open] input[name=collection]", "orders");
    browser.waitFor("dialog[open] button.primary").click();
    browser.waitGone("dialog");
    browser.waitForElementWithText("td", "orders");
    browser.screenshot("12-collections");
    assertThat(ts.api.get("/admin/v1/tenants/flags-brand/collections/orders", adminToken).statusCode()).isEqualTo(200);
  }

  @Test
  void usersAreInvitedAddedAndGivenAnotherRole() {
    createTenant("people", "People");
    browser.go("/admin/#/t/people/users");
    browser.type("form input[name=email]", "invitee@people.test");
    browser.waitFor("form button[type=submit]").click();
    browser.waitForElementWithText("#invitations td", "invitee@people.test");
    assertThat(browser.waitForElementWithText("#invitations tr", "invitee@people.test").getText()).contains("pending");

    browser.type("form input[name=email]", "member@people.test");
    browser.type("form input[name=password]", "a-long-password-for-member");
    browser.waitForElementWithText("form button", "Add with password").click();
    WebElement role = browser.waitFor("select[data-role-of='member@people.test']");
    assertThat(new Select(role).getFirstSelectedOption().getText()).isEqualTo("member");
    new Select(role).selectByValue("read_only");
    browser.waitForText("#status", "member@people.test is now read_only");
    browser.screenshot("13-users");
    assertThat(ts.api.get("/admin/v1/tenants/people/users", adminToken).bodyAsJsonObject().getJsonArray("items").stream()
      .map(JsonObject.class::cast).filter(m -> m.getString("email").equals("member@people.test")).findFirst().orElseThrow()
      .getString("role")).isEqualTo("read_only");

    browser.waitFor("button[data-revoke-invitation='invitee@people.test']").click();
    browser.waitFor("dialog[open] button.danger").click();
    browser.waitForText("#invitations", "revoked");
  }

  @Test
  void anApiKeyIsCreatedItsSecretShownOnceAndRevoked() {
    createTenant("keyed", "Keyed");
    browser.go("/admin/#/t/keyed/keys");
    browser.type("form input[name=name]", "ci-deploy");
    browser.waitFor("form button[type=submit]").click();
    String secret = browser.waitFor("dialog[open] #new-key-secret").getAttribute("value");
    assertThat(secret).isNotBlank();
    browser.screenshot("14-api-key-secret");
    browser.waitForElementWithText("dialog[open] button", "Close").click();
    browser.waitGone("dialog");
    assertThat(browser.driver.getPageSource()).doesNotContain(secret);
    var grant = ts.api.post("/auth/token", null, new JsonObject().put("grant_type", "client_credentials").put("api_key", secret));
    assertThat(grant.statusCode()).isEqualTo(200);

    browser.waitFor("button[data-revoke-key=ci-deploy]").click();
    browser.waitFor("dialog[open] button.danger").click();
    browser.waitForElementWithText("#api-keys tr", "revoked");
    browser.screenshot("15-api-keys");
    assertThat(ts.api.post("/auth/token", null, new JsonObject().put("grant_type", "client_credentials").put("api_key", secret))
      .statusCode()).isEqualTo(401);
  }

  @Test
  void theAuditLogIsFilteredAndExported() {
    createTenant("audited", "Audited");
    ts.api.post("/admin/v1/tenants/audited/suspend", adminToken, null);
    ts.api.post("/admin/v1/tenants/audited/resume", adminToken, null);
    // admin actions are recorded after their response: the page shows what is stored when it loads
    Eventually(() -> ts.api.get("/admin/v1/tenants/audited/audit", adminToken).bodyAsString().contains("admin.resumeTenant"));
    browser.go("/admin/#/t/audited/audit");
    browser.waitForElementWithText("#audit-list td", "admin.suspendTenant");
    browser.screenshot("16-audit-log");
    browser.type("input[name=action]", "admin.resume*");
    browser.waitFor("form.filters button[type=submit]").click();
    Eventually(() -> browser.all("#audit-list tbody tr").size() == 1);
    assertThat(browser.waitFor("#audit-list tbody tr").getText()).contains("admin.resumeTenant");
    browser.waitForElementWithText("button", "Export NDJSON").click();
    WebElement link = browser.waitFor("#audit-download");
    assertThat(link.getAttribute("download")).isEqualTo("audit-audited.ndjson");
    assertThat(link.getAttribute("href")).startsWith("blob:");
  }

  @Test
  void poolsPlansAndTheHierarchyAreShown() {
    createTenant("root-co", "Root Co");
    ts.api.post("/admin/v1/tenants", adminToken, new JsonObject().put("slug", "child-co").put("name", "Child Co").put("parent", "root-co"));
    browser.go("/admin/#/t/root-co");
    browser.waitForElementWithText(".tree a", "Child Co");
    browser.waitForElementWithText("section td", "rate");
    browser.screenshot("17-hierarchy-and-limits");
    browser.go("/admin/#/pools");
    browser.waitForElementWithText("h2", "tiers");
    browser.screenshot("18-pools");
    browser.go("/admin/#/plans");
    browser.waitForElementWithText("td", "default");
    browser.screenshot("19-plans");
  }

  @Test
  void aTenantAdminSeesOnlyTheirOwnTenant() {
    createTenant("own-co", "Own Co");
    ts.addUser(adminToken, "own-co", "boss@own-co.test", "tenant_admin");
    browser.waitFor("#who button.link").click();
    signIn("boss@own-co.test", "password-of-boss@own-co.test");
    browser.waitForText("#who .email", "boss@own-co.test");
    browser.waitForText("h1", "Own Co");
    assertThat(browser.all("#nav a")).extracting(WebElement::getText).containsExactly("Own Co");
    browser.go("/admin/#/t/own-co/users");
    browser.waitForElementWithText("#members td", "boss@own-co.test");
    assertThat(browser.all("form button")).extracting(WebElement::getText).doesNotContain("Add with password");
    browser.screenshot("20-tenant-admin");
    browser.waitFor("#who button.link").click();
    browser.waitFor("form.signin");
  }

  private static void Eventually(java.util.function.BooleanSupplier condition) {
    io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(10), "the condition", condition::getAsBoolean);
  }
}
