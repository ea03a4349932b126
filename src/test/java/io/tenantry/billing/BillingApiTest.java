package io.tenantry.billing;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Usage to invoices through the HTTP API: a parent organization paying for a subsidiary gets one invoice with a
 * line per tenant, priced on its plan; bad input is refused with a problem; a finalized invoice cannot change, not
 * even by the database's owner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillingApiTest {
  private static final String RECORDS = "/api/v1/collections/notes/records";
  private TestServer ts;
  private String root;
  private String orgAdmin;
  private String subAdmin;

  @BeforeAll
  void start() {
    ts = TestServer.start(Map.of("metering.flush-ms", "100", "db.connect-timeout-ms", "30000"));
    root = ts.adminToken();
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/metered", root),
      new JsonObject().put("rate", 1000).put("burst", 1000)).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> priced = ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/metered/pricing", root),
      new JsonObject().put("currency", "EUR").put("base_fee", 0).put("meters", new JsonObject()
        .put("requests_read", new JsonObject().put("included", 0).put("tiers", new JsonArray()
          .add(new JsonObject().put("up_to", 3).put("unit_price", 10))
          .add(new JsonObject().putNull("up_to").put("unit_price", 5))))));
    assertThat(priced.statusCode()).as(priced.bodyAsString()).isEqualTo(200);
    orgAdmin = ts.tenantWithUser(root, "org", "tenant_admin");
    assertThat(ts.api.post("/admin/v1/tenants", root, new JsonObject().put("slug", "org-sub").put("name", "Sub")
      .put("parent", "org")).statusCode()).isEqualTo(201);
    ts.addUser(root, "org-sub", "tenant_admin@org-sub.test", "tenant_admin");
    subAdmin = ts.api.token("tenant_admin@org-sub.test", "password-of-tenant_admin@org-sub.test", "org-sub");
    String monthStart = Instant.now().atZone(java.time.ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS)
      .toInstant().toString();
    for (String slug : new String[] {"org", "org-sub"}) {
      HttpResponse<Buffer> subscribed = ts.api.post("/admin/v1/tenants/" + slug + "/subscriptions", root,
        new JsonObject().put("plan", "metered").put("effective_from", monthStart));
      assertThat(subscribed.statusCode()).as(subscribed.bodyAsString()).isEqualTo(201);
    }
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/tenants/org-sub/billing", root),
      new JsonObject().put("pays", "parent")).statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  @Test
  void aParentPaysForItsSubsidiaryOnOneInvoiceWithALinePerTenant() {
    for (int i = 0; i < 6; i++) {
      assertThat(ts.api.get(RECORDS, orgAdmin).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(ts.api.get(RECORDS, subAdmin).statusCode()).isEqualTo(200);
    }
    Eventually.within(java.time.Duration.ofSeconds(20), "usage stored", () -> reads("org") == 6 && reads("org-sub") == 4);

    JsonObject usage = ts.api.get("/api/v1/usage?granularity=day&meter=requests_read&subtree=true", orgAdmin).bodyAsJsonObject();
    assertThat(usage.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("tenant")))
      .containsExactlyInAnyOrder("org", "org-sub");

    HttpResponse<Buffer> list = ts.api.get("/admin/v1/tenants/org/invoices", orgAdmin);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    JsonObject draft = list.bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertThat(draft.getString("status")).isEqualTo("draft");
    JsonObject invoice = ts.api.get("/admin/v1/tenants/org/invoices/" + draft.getString("id"), orgAdmin).bodyAsJsonObject();
    // org: 6 reads, 3 at 10 and 3 at 5 = 45; org-sub: 4 reads, 3 at 10 and 1 at 5 = 35 (nothing included: an
    // included quantity would be prorated from the tenants' creation today)
    assertThat(invoice.getLong("total")).isEqualTo(80);
    assertThat(invoice.getString("currency")).isEqualTo("EUR");
    assertThat(invoice.getJsonArray("lines").stream().map(o -> ((JsonObject) o).getString("tenant") + ":"
      + ((JsonObject) o).getLong("quantity") + "x" + ((JsonObject) o).getLong("unit_price")))
      .containsExactly("org:3x10", "org:3x5", "org-sub:3x10", "org-sub:1x5");

    HttpResponse<Buffer> again = ts.api.send(ts.api.request(HttpMethod.POST, "/admin/v1/tenants/org/invoices/recompute", root));
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject().getJsonArray("lines")).isEqualTo(invoice.getJsonArray("lines"));
    assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(invoice.getString("id"));

    HttpResponse<Buffer> csv = ts.api.get("/admin/v1/tenants/org/invoices/" + draft.getString("id"), orgAdmin,
      MultiMap.caseInsensitiveMultiMap().add("Accept", "text/csv"));
    assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
    assertThat(csv.bodyAsString()).startsWith("position,tenant,meter").contains("\"org-sub\"").contains("\"80\"");
    HttpResponse<Buffer> html = ts.api.get("/admin/v1/tenants/org/invoices/" + draft.getString("id"), orgAdmin,
      MultiMap.caseInsensitiveMultiMap().add("Accept", "text/html"));
    assertThat(html.getHeader("Content-Type")).startsWith("text/html");
    assertThat(html.bodyAsString()).contains("<td>org-sub</td>").contains("Total");

    // the subsidiary has no invoice of its own; its admin cannot read its parent's
    assertThat(ts.api.get("/admin/v1/tenants/org-sub/invoices", subAdmin).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertProblem(ts.api.get("/admin/v1/tenants/org/invoices", subAdmin), 403);
  }

  @Test
  void badInputIsRefusedWithAProblem() {
    assertProblem(ts.api.get("/api/v1/usage?meter=bogus", orgAdmin), 400);
    assertProblem(ts.api.get("/api/v1/usage?granularity=week", orgAdmin), 400);
    assertProblem(ts.api.get("/admin/v1/usage?meter=nope", root), 400);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/metered/pricing", root),
      new JsonObject().put("currency", "EUR").put("base_fee", -1)), 400);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/metered/pricing", root),
      new JsonObject().put("currency", "EUR").put("base_fee", 0).put("meters", new JsonObject().put("bananas",
        new JsonObject().put("tiers", new JsonArray().add(new JsonObject().put("unit_price", 1)))))), 400);
    assertProblem(ts.api.post("/admin/v1/tenants/org/subscriptions", root, new JsonObject().put("plan", "default")
      .put("effective_from", "2020-01-01T00:00:00Z")), 409); // before the latest change: periods would overlap
    // a child priced in dollars cannot be put on its euro-paying parent's invoice
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/dollars", root),
      new JsonObject().put("rate", 100).put("burst", 100)).statusCode()).isEqualTo(200);
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/dollars/pricing", root),
      new JsonObject().put("currency", "USD").put("base_fee", 100)).statusCode()).isEqualTo(200);
    assertThat(ts.api.post("/admin/v1/tenants", root, new JsonObject().put("slug", "org-usd").put("name", "Usd")
      .put("parent", "org")).statusCode()).isEqualTo(201);
    assertThat(ts.api.post("/admin/v1/tenants/org-usd/subscriptions", root, new JsonObject().put("plan", "dollars")
      .put("effective_from", "2020-01-01T00:00:00Z")).statusCode()).isEqualTo(201);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/tenants/org-usd/billing", root),
      new JsonObject().put("pays", "parent")), 409);
    // the open period stays a draft
    String open = Instant.now().toString().substring(0, 7);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.POST, "/admin/v1/billing/periods/" + open + "/finalize", root)), 409);
    assertProblem(ts.api.send(ts.api.request(HttpMethod.POST, "/admin/v1/billing/periods/2026-13/finalize", root)), 400);
  }

  @Test
  void aFinalizedInvoiceNeverChangesNotEvenForTheDatabaseOwner() throws SQLException {
    HttpResponse<Buffer> finalized = ts.api.send(ts.api.request(HttpMethod.POST, "/admin/v1/billing/periods/2020-02/finalize", root));
    assertThat(finalized.statusCode()).as(finalized.bodyAsString()).isEqualTo(200);
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("INSERT INTO platform.invoices (id, tenant_id, kind, status, period_start, period_end, currency, total) "
        + "VALUES ('00000000-0000-0000-0000-00000000000f', gen_random_uuid(), 'invoice', 'draft', '2020-01-01Z', "
        + "'2020-02-01Z', 'EUR', 7)");
      st.execute("INSERT INTO platform.invoice_lines VALUES ('00000000-0000-0000-0000-00000000000f', 1, gen_random_uuid(), "
        + "'x', 'base_fee', 'fee', 1, 7, 7)");
      st.execute("UPDATE platform.invoices SET status = 'finalized', finalized_at = now() "
        + "WHERE id = '00000000-0000-0000-0000-00000000000f'");
      for (String change : new String[] {
        "UPDATE platform.invoices SET total = 0 WHERE id = '00000000-0000-0000-0000-00000000000f'",
        "DELETE FROM platform.invoices WHERE id = '00000000-0000-0000-0000-00000000000f'",
        "UPDATE platform.invoice_lines SET amount = 0 WHERE invoice_id = '00000000-0000-0000-0000-00000000000f'",
        "DELETE FROM platform.invoice_lines WHERE invoice_id = '00000000-0000-0000-0000-00000000000f'",
        "INSERT INTO platform.invoice_lines VALUES ('00000000-0000-0000-0000-00000000000f', 2, gen_random_uuid(), "
          + "'x', 'credit', 'sneaky', 1, -7, -7)"}) {
        SQLException refused = assertThrows(SQLException.class, () -> st.execute(change), change);
        assertThat(refused.getMessage()).contains("finalized");
      }
    }
  }

  private long reads(String slug) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         var rs = st.executeQuery("SELECT coalesce(sum(quantity), 0) FROM platform.usage_flushes f JOIN platform.tenants t "
           + "ON t.id = f.tenant_id WHERE t.slug = '" + slug + "' AND meter = 'requests_read'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
