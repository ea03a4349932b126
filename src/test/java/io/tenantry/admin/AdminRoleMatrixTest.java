package io.tenantry.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every /admin/v1 operation of openapi.yaml (read from the document, so a new route is covered as soon as it exists)
 * against every kind of caller: refused (401 without credentials, 403 otherwise) exactly where {@link #RULES} says,
 * and not refused (any status but 401 and 403) where it allows. A route without a rule fails
 * {@link #everyAdminRouteHasARule()}: whoever adds a route decides here who may use it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminRoleMatrixTest {

  /** The callers. "on A"/"on B": the tenant the route's {slug} (or a created tenant's parent) names. */
  enum Who {
    SUPER_ADMIN, IMPERSONATING_SUPER_ADMIN, ADMIN_OF_A_ON_B, ADMIN_OF_A_ON_A, MEMBER_OF_A, READ_ONLY_OF_A, ANONYMOUS,
    KEY_RECORDS_READ, KEY_RECORDS_WRITE, KEY_FILES_READ, KEY_FILES_WRITE, KEY_ADMIN;

    boolean onB() {
      return this == ADMIN_OF_A_ON_B;
    }
  }

  /** Who may use a route. */
  enum Rule {
    /** The platform's operators only; never a tenant's admin, an impersonation token or any API key. */
    SUPER_ADMIN_ONLY(EnumSet.of(Who.SUPER_ADMIN)),
    /**
     * A tenant's administration: a super-admin, the tenant's tenant_admin (also a super-admin impersonating one), and
     * the tenant's API key with the admin scope; never another tenant's admin, a member, a read_only or another scope.
     */
    TENANT_ADMIN(EnumSet.of(Who.SUPER_ADMIN, Who.IMPERSONATING_SUPER_ADMIN, Who.ADMIN_OF_A_ON_A, Who.KEY_ADMIN)),
    /** About the platform rather than a tenant (the declared settings): any admin, whatever its tenant. */
    ANY_ADMIN(EnumSet.of(Who.SUPER_ADMIN, Who.IMPERSONATING_SUPER_ADMIN, Who.ADMIN_OF_A_ON_A, Who.ADMIN_OF_A_ON_B,
      Who.KEY_ADMIN));

    final Set<Who> allowed;

    Rule(Set<Who> allowed) {
      this.allowed = allowed;
    }
  }

  /** The tenant a route acts on: the tenant itself, or (lifecycle changes) a child made for each allowed call. */
  enum Target { TENANT, FRESH_CHILD }

  private record Rights(Rule rule, Target target) {
  }

  private static Rights rule(Rule rule) {
    return new Rights(rule, Target.TENANT);
  }

  /** The table: every /admin/v1 operation and who may use it. */
  private static final Map<String, Rights> RULES = Map.ofEntries(
    Map.entry("listTenants", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("getPools", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("revokeUserSessions", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("putTenantTimeouts", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("listTenantDomains", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("putTenantDomain", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("deleteTenantDomain", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("getTenantLimits", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("putTenantLimits", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("listPlans", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("putPlan", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("impersonateTenantUser", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("createTemplate", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("listTemplates", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("getTemplate", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("putTemplate", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("deleteTemplate", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("listPlatformAudit", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("getTenantOverview", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("runCrossTenantQuery", rule(Rule.SUPER_ADMIN_ONLY)),

    Map.entry("createTenant", rule(Rule.TENANT_ADMIN)), // a child of the tenant; a root tenant only by a super-admin
    Map.entry("getTenant", rule(Rule.TENANT_ADMIN)),
    Map.entry("patchTenant", rule(Rule.TENANT_ADMIN)),
    Map.entry("addTenantUser", rule(Rule.TENANT_ADMIN)),
    Map.entry("listTenantUsers", rule(Rule.TENANT_ADMIN)),
    Map.entry("patchTenantUser", rule(Rule.TENANT_ADMIN)),
    Map.entry("deleteTenantUser", rule(Rule.TENANT_ADMIN)),
    Map.entry("inviteTenantUser", rule(Rule.TENANT_ADMIN)),
    Map.entry("listTenantInvitations", rule(Rule.TENANT_ADMIN)),
    Map.entry("revokeTenantInvitation", rule(Rule.TENANT_ADMIN)),
    Map.entry("listTenantAudit", rule(Rule.TENANT_ADMIN)),
    Map.entry("exportTenantAudit", rule(Rule.TENANT_ADMIN)),
    Map.entry("verifyTenantAudit", rule(Rule.TENANT_ADMIN)),
    Map.entry("getTenantSubtreeLimits", rule(Rule.TENANT_ADMIN)), // its own cap excepted (subtree tests)
    Map.entry("putTenantSubtreeLimits", rule(Rule.TENANT_ADMIN)),
    Map.entry("getTenantStorage", rule(Rule.TENANT_ADMIN)),
    Map.entry("createApiKey", rule(Rule.TENANT_ADMIN)),
    Map.entry("listApiKeys", rule(Rule.TENANT_ADMIN)),
    Map.entry("revokeApiKey", rule(Rule.TENANT_ADMIN)),
    Map.entry("listTenantChildren", rule(Rule.TENANT_ADMIN)),
    Map.entry("listTenantDescendants", rule(Rule.TENANT_ADMIN)),
    Map.entry("listTenantAncestors", rule(Rule.TENANT_ADMIN)),
    Map.entry("listCollectionSchemas", rule(Rule.TENANT_ADMIN)),
    Map.entry("putCollectionSchema", rule(Rule.TENANT_ADMIN)),
    Map.entry("getCollectionSchema", rule(Rule.TENANT_ADMIN)),
    Map.entry("deleteCollectionSchema", rule(Rule.TENANT_ADMIN)),
    Map.entry("listCollectionIndexes", rule(Rule.TENANT_ADMIN)),
    Map.entry("putCollectionIndex", rule(Rule.TENANT_ADMIN)),
    Map.entry("deleteCollectionIndex", rule(Rule.TENANT_ADMIN)),
    Map.entry("getTenantConfig", rule(Rule.TENANT_ADMIN)),
    Map.entry("getTenantEffectiveConfig", rule(Rule.TENANT_ADMIN)),
    Map.entry("putTenantConfig", rule(Rule.TENANT_ADMIN)),
    Map.entry("deleteTenantConfig", rule(Rule.TENANT_ADMIN)),
    // a tenant_admin changes the lifecycle of the tenants below its own, never its own tenant
    Map.entry("deleteTenant", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),
    Map.entry("archiveTenant", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),
    Map.entry("restoreTenant", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),
    Map.entry("suspendTenant", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),
    Map.entry("resumeTenant", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),
    Map.entry("moveTenant", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),
    Map.entry("getTenantProvisioning", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),
    Map.entry("retryTenantProvisioning", new Rights(Rule.TENANT_ADMIN, Target.FRESH_CHILD)),

    Map.entry("listSettings", rule(Rule.ANY_ADMIN)),

    // tenant export and import: a bundle holds every member's address and all the data (docs/export-format.md)
    Map.entry("createTenantExport", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("getTenantExport", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("downloadTenantExport", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("importTenant", rule(Rule.SUPER_ADMIN_ONLY)),
    // usage and billing (docs/billing.md): a tenant's admins read its subscriptions and invoices; prices, plan
    // changes, who pays, recomputing, credit notes and finalizing are the operators'
    Map.entry("getPlatformUsage", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("getPlanPricing", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("putPlanPricing", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("createTenantSubscription", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("putTenantBilling", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("recomputeTenantInvoice", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("createCreditNote", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("finalizeBillingPeriod", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("listTenantSubscriptions", rule(Rule.TENANT_ADMIN)),
    Map.entry("listTenantInvoices", rule(Rule.TENANT_ADMIN)),
    Map.entry("getTenantInvoice", rule(Rule.TENANT_ADMIN)),
    // online moves between tiers and servers: they hold the tenant's writes (docs/operations/tenant-moves.md)
    Map.entry("createTenantRelocation", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("getTenantRelocation", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("cancelTenantRelocation", rule(Rule.SUPER_ADMIN_ONLY)),
    Map.entry("cancelTenantRelocationPost", rule(Rule.SUPER_ADMIN_ONLY)));

  /** Valid request bodies (an invalid one would be answered 400 before the caller's rights are looked at). */
  private JsonObject body(String operationId, String tenant) {
    int n = counter.incrementAndGet();
    return switch (operationId) {
      case "createTenant" -> new JsonObject().put("slug", "mx-new-" + n).put("name", "Matrix " + n).put("parent", tenant);
      case "addTenantUser", "inviteTenantUser" ->
        new JsonObject().put("email", "mx-" + n + "@matrix.test").put("role", "read_only");
      case "createTemplate" -> new JsonObject().put("name", "mx-template-" + n);
      case "putTemplate", "putTenantSubtreeLimits" -> new JsonObject();
      case "patchTenantUser" -> new JsonObject().put("role", "member");
      case "patchTenant" -> new JsonObject().put("name", "Matrix " + n);
      case "createApiKey" -> new JsonObject().put("name", "matrix").put("scopes", new JsonArray().add("records:read"));
      case "moveTenant" -> new JsonObject().put("parent", tenant);
      case "putTenantTimeouts" -> new JsonObject().putNull("statement_timeout_ms");
      case "putCollectionSchema" -> new JsonObject().put("schema", new JsonObject().put("type", "object"));
      case "putCollectionIndex" -> new JsonObject().put("field", "n");
      case "putTenantLimits" -> new JsonObject();
      case "putPlan" -> new JsonObject().put("rate", 1000).put("burst", 1000);
      case "putTenantConfig" -> new JsonObject().put("value", "Matrix");
      case "putPlanPricing" -> new JsonObject().put("currency", "EUR").put("base_fee", 0);
      // the tenant's own tier: answered 409 (already there) once the caller's rights passed, so nothing moves
      case "createTenantRelocation" -> new JsonObject().put("isolation", "shared");
      case "createTenantSubscription" -> new JsonObject().put("plan", "default")
        .put("effective_from", java.time.Instant.parse("2030-01-01T00:00:00Z").plusSeconds(n).toString());
      case "putTenantBilling" -> new JsonObject().put("pays", "self");
      case "createCreditNote" -> new JsonObject().put("amount", 1).put("reason", "matrix");
      case "runCrossTenantQuery" ->
        new JsonObject().put("collection", "notes").put("tenants", new JsonArray().add(tenant)).put("limit", 1);
      default -> null;
    };
  }

  private record Route(HttpMethod method, String path, String operationId) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
  private final AtomicInteger counter = new AtomicInteger();
  private final Map<Who, String> tokens = new EnumMap<>(Who.class);
  private TestServer ts;
  private String root;

  @BeforeAll
  void start() {
    ts = TestServer.start();
    root = ts.adminToken();
    String adminOfA = ts.tenantWithUser(root, "mx-a", "tenant_admin");
    ts.tenantWithUser(root, "mx-b", "read_only");
    child("mx-a", "mx-a1");
    child("mx-b", "mx-b1");
    ts.addUser(root, "mx-a", "member@mx-a.test", "member");
    ts.addUser(root, "mx-a", "read_only@mx-a.test", "read_only");
    tokens.put(Who.SUPER_ADMIN, root);
    tokens.put(Who.ADMIN_OF_A_ON_A, adminOfA);
    tokens.put(Who.ADMIN_OF_A_ON_B, adminOfA);
    tokens.put(Who.MEMBER_OF_A, ts.api.token("member@mx-a.test", "password-of-member@mx-a.test", "mx-a"));
    tokens.put(Who.READ_ONLY_OF_A, ts.api.token("read_only@mx-a.test", "password-of-read_only@mx-a.test", "mx-a"));
    HttpResponse<Buffer> impersonation = ts.api.post("/admin/v1/tenants/mx-a/users/"
      + userId("mx-a", "tenant_admin@mx-a.test") + "/impersonate", root, null);
    assertThat(impersonation.statusCode()).as(impersonation.bodyAsString()).isEqualTo(200);
    tokens.put(Who.IMPERSONATING_SUPER_ADMIN, impersonation.bodyAsJsonObject().getString("access_token"));
    key(Who.KEY_RECORDS_READ, "records:read", adminOfA);
    key(Who.KEY_RECORDS_WRITE, "records:write", adminOfA);
    key(Who.KEY_FILES_READ, "files:read", adminOfA);
    key(Who.KEY_FILES_WRITE, "files:write", adminOfA);
    key(Who.KEY_ADMIN, "admin", adminOfA);
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private void child(String parent, String slug) {
    HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants", root,
      new JsonObject().put("slug", slug).put("name", slug).put("parent", parent));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  private void key(Who who, String scope, String adminToken) {
    HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants/mx-a/api-keys", adminToken,
      new JsonObject().put("name", scope).put("scopes", new JsonArray().add(scope)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    tokens.put(who, "ApiKey " + r.bodyAsJsonObject().getString("secret"));
  }

  private String userId(String slug, String email) {
    JsonArray members = ts.api.get("/admin/v1/tenants/" + slug + "/users", root).bodyAsJsonObject().getJsonArray("items");
    for (int i = 0; i < members.size(); i++) {
      if (members.getJsonObject(i).getString("email").equals(email)) {
        return members.getJsonObject(i).getString("user_id");
      }
    }
    throw new AssertionError(email + " is no member of " + slug);
  }

  /** The /admin/v1 operations of the served document. */
  private static List<Route> adminRoutes() {
    try (InputStream in = AdminRoleMatrixTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(in).path("paths");
      List<Route> routes = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> path = it.next();
        if (!path.getKey().startsWith("/admin/v1/") && !path.getKey().equals("/admin/v1")) {
          continue;
        }
        path.getValue().fields().forEachRemaining(op -> {
          if (op.getValue().has("operationId")) {
            routes.add(new Route(HttpMethod.valueOf(op.getKey().toUpperCase(java.util.Locale.ROOT)), path.getKey(),
              op.getValue().get("operationId").asText()));
          }
        });
      }
      return routes;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyAdminRouteHasARule() {
    List<String> operations = adminRoutes().stream().map(Route::operationId).toList();
    assertThat(operations).as("admin operations").isNotEmpty();
    assertThat(operations.stream().filter(op -> !RULES.containsKey(op)).toList())
      .as("admin routes without a rule in AdminRoleMatrixTest.RULES: decide who may use them").isEmpty();
    assertThat(RULES.keySet().stream().filter(op -> !operations.contains(op)).toList())
      .as("rules for operations openapi.yaml no longer has").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> everyCallerOnEveryAdminRoute() {
    return adminRoutes().stream().filter(route -> RULES.containsKey(route.operationId()))
      .flatMap(route -> Stream.of(Who.values()).map(who -> DynamicTest.dynamicTest(
        route.operationId() + " (" + route + ") as " + who, () -> check(route, who))));
  }

  private void check(Route route, Who who) {
    Rights rights = RULES.get(route.operationId());
    boolean allowed = rights.rule().allowed.contains(who);
    String tenant = who.onB() ? "mx-b" : "mx-a";
    String slug = rights.target() == Target.TENANT ? tenant
      : allowed ? freshChild(tenant) : tenant + "1";
    String path = fill(route, slug);
    HttpRequest<Buffer> request = ts.api.request(route.method(), path, null);
    String credentials = tokens.get(who);
    if (credentials != null) {
      request.putHeader("Authorization", credentials.startsWith("ApiKey ") ? credentials : "Bearer " + credentials);
    }
    JsonObject body = body(route.operationId(), tenant);
    HttpResponse<Buffer> response = body == null ? ts.api.send(request) : ts.api.send(request, body);
    String what = who + " on " + route + " (" + path + "): " + response.statusCode() + " " + response.bodyAsString();
    if (allowed) {
      assertThat(response.statusCode()).as(what).isNotIn(401, 403);
    } else {
      assertThat(response.statusCode()).as(what).isEqualTo(who == Who.ANONYMOUS ? 401 : 403);
    }
  }

  private String freshChild(String parent) {
    String slug = parent + "-c" + counter.incrementAndGet();
    child(parent, slug);
    return slug;
  }

  /** Real or plausible values for the path parameters; a new parameter name needs a value here. */
  private String fill(Route route, String slug) {
    Matcher m = PARAM.matcher(route.path());
    StringBuilder path = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "slug" -> slug;
        // a member of the tenant (impersonation); for the rest any id: the caller's rights are checked first
        case "id" -> route.operationId().equals("impersonateTenantUser")
          ? userId(slug, slug.equals("mx-a") ? "member@mx-a.test" : "read_only@mx-b.test") : UUID.randomUUID().toString();
        case "host" -> "matrix-" + counter.incrementAndGet() + ".example.test";
        case "collection" -> "matrix";
        case "key" -> "branding.display_name";
        case "name" -> "matrix-plan";
        case "exportId", "relocationId" -> UUID.randomUUID().toString();
        case "period" -> "2020-01";
        default -> throw new AssertionError("no value for the path parameter {" + m.group(1) + "} of " + route
          + ": add one in AdminRoleMatrixTest.fill");
      };
      m.appendReplacement(path, Matcher.quoteReplacement(value));
    }
    m.appendTail(path);
    return path.toString();
  }
}
