package io.tenantry.server;

import io.tenantry.auth.Access;
import io.tenantry.health.ReadinessEndpoint;
import io.tenantry.pipeline.ProblemHandler;
import io.tenantry.pipeline.Pipeline;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.ext.web.openapi.router.RequestExtractor;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One per event loop. Routes come from the OpenAPI document (which also validates requests), so a route the
 * document does not describe cannot exist. Every request first passes the {@link Pipeline}'s root handlers (entry,
 * access log, the gate that authenticates and admits it to its tenant, the body); each route then validates, checks
 * the caller's role for that route, and runs its handler. Undeploying it shuts its server down gracefully: no new
 * connections, in-flight requests get up to shutdown.timeout-ms to finish, then whatever is left is closed.
 */
public final class HttpVerticle extends VerticleBase {
  private final Platform platform;
  private HttpServer server;

  public HttpVerticle(Platform platform) {
    this.platform = platform;
  }

  @Override
  public Future<?> start() {
    platform.pool().claim(); // this loop's requests use connections of this loop only
    Router router = router();
    Router dataPlane = DataPlaneRouting.only(router());
    // Admin portal: its static files are served by a router of its own in front of the API's (docs/portal.md).
    var handler = io.tenantry.portal.Portal.inFrontOf(vertx, DataPlaneRouting.inFrontOf(dataPlane, router));
    StalledConnections stalled = new StalledConnections();
    stalled.start(vertx, platform.config().headerTimeoutMs());
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(platform.config().httpHost())
        .setPort(platform.config().httpPort())
        .setCompressionSupported(false)
        .setIdleTimeout(120))
      .connectionHandler(stalled::opened)
      .requestHandler(stalled.watching(handler));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(platform.config().shutdownTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  Router router() {
    RouterBuilder builder = RouterBuilder.create(vertx, platform.contract(), RequestExtractor.withBodyHandler());
    // Every request once: every log line of it carries its id, tenant and user (io.tenantry.logging); when it ends,
    // the HTTP series and the busiest tenants count it, the usage meter charges it if the gate admitted it, and the
    // audit sees it (refusals too). Trusted scrapers of /metrics (scrape token, allowed address) are served at the
    // entry's end, before the gate.
    platform.pipeline().install(vertx, builder, List.of(io.tenantry.logging.RequestLogContext.OBSERVER,
        platform.metrics(), platform.audit().hooks()),
      platform.metrics().endpoint()::trusted);

    on(builder, "getLive", ctx -> ctx.json(new JsonObject().put("status", "UP")));
    on(builder, "getReady", new ReadinessEndpoint(platform.readiness()));
    on(builder, "getOpenApi", ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(platform.openApiDocument()));
    on(builder, "issueToken", platform.tokens()::handle);
    on(builder, "acceptInvitation", platform.tenantAdmin().invitations()::accept);

    var admin = platform.tenantAdmin();
    var hierarchy = platform.hierarchy();
    on(builder, "createTenant", platform.idempotentCreation()::guard, hierarchy::create, admin::create);
    on(builder, "listTenants", Access::superAdmin, platform.tenantSearch()::list);
    on(builder, "getTenantOverview", Access::superAdmin, platform.tenantSearch()::overview);
    on(builder, "runCrossTenantQuery", Access::superAdmin, platform.queries()::handle);
    on(builder, "getTenant", Access::adminScope, admin::get);
    on(builder, "patchTenant", Access::adminScope, admin.rename()::patch);
    on(builder, "deleteTenant", Access::adminScope, hierarchy::belowCaller, hierarchy::childless,
      platform.provisioningEndpoints()::deleteIfProvisioning, platform.lifecycle()::delete);
    on(builder, "archiveTenant", Access::adminScope, hierarchy::belowCaller, platform.lifecycle()::archive);
    on(builder, "restoreTenant", Access::adminScope, hierarchy::belowCaller, platform.lifecycle()::restore);
    on(builder, "getPools", Access::superAdmin, platform.pools()::handle);
    on(builder, "addTenantUser", Access::adminScope, admin::addUser);
    on(builder, "suspendTenant", Access::adminScope, hierarchy::belowCaller, admin::suspend);
    on(builder, "resumeTenant", Access::adminScope, hierarchy::belowCaller, admin::resume);
    on(builder, "moveTenant", Access::adminScope, hierarchy::move);
    on(builder, "listTenantChildren", Access::adminScope, hierarchy::children);
    on(builder, "listTenantDescendants", Access::adminScope, hierarchy::descendants);
    on(builder, "listTenantAncestors", Access::adminScope, hierarchy::ancestors);
    on(builder, "putTenantTimeouts", Access::superAdmin, admin.timeouts()::put);
    var domains = platform.customDomains().endpoints();
    on(builder, "listTenantDomains", Access::superAdmin, domains::list);
    on(builder, "putTenantDomain", Access::superAdmin, domains::put);
    on(builder, "deleteTenantDomain", Access::superAdmin, domains::delete);

    var provisioning = platform.provisioningEndpoints();
    on(builder, "getTenantProvisioning", Access::adminScope, hierarchy::belowCaller, provisioning::get);
    on(builder, "retryTenantProvisioning", Access::adminScope, hierarchy::belowCaller, provisioning::retry);
    var templates = platform.templates();
    on(builder, "createTemplate", Access::superAdmin, templates::create);
    on(builder, "listTemplates", Access::superAdmin, templates::list);
    on(builder, "getTemplate", Access::superAdmin, templates::get);
    on(builder, "putTemplate", Access::superAdmin, templates::put);
    on(builder, "deleteTemplate", Access::superAdmin, templates::delete);

    var members = platform.members();
    on(builder, "listTenantUsers", members::list);
    on(builder, "patchTenantUser", members::patch);
    on(builder, "deleteTenantUser", members::delete);
    var invitations = new io.tenantry.admin.InvitationEndpoints(members, admin);
    on(builder, "inviteTenantUser", invitations::invite);
    on(builder, "listTenantInvitations", invitations::list);
    on(builder, "revokeTenantInvitation", invitations::revoke);
    on(builder, "getMe", platform.me()::handle);
    on(builder, "requestPasswordReset", platform.passwordResets()::request);
    on(builder, "confirmPasswordReset", platform.passwordResets()::confirm);

    var limits = platform.rateLimiting();
    on(builder, "getTenantLimits", Access::superAdmin, limits.tenantLimits()::get);
    on(builder, "putTenantLimits", Access::superAdmin, limits.tenantLimits()::put);
    on(builder, "listPlans", Access::superAdmin, limits.plans()::list);
    on(builder, "putPlan", Access::superAdmin, limits.plans()::put);
    on(builder, "getTenantSubtreeLimits", Access::adminScope, limits.subtreeLimits()::get);
    on(builder, "putTenantSubtreeLimits", Access::adminScope, limits.subtreeLimits()::put);

    var records = platform.records();
    // faults: Idempotency-Key on record creates, the same request being the same tenant, path and body
    var recordKeys = platform.idempotentCreation().scopedBy(ctx ->
      "record " + io.tenantry.tenant.Tenant.of(ctx).id() + " " + ctx.request().path());
    on(builder, "createRecord", Access::tenantWriter, recordKeys::guard, records::create);
    on(builder, "listRecords", Access::tenantReader, platform.recordList()::handle);
    on(builder, "getRecord", Access::tenantReader, records::get);
    on(builder, "replaceRecord", Access::tenantWriter, records::replace);
    on(builder, "patchRecord", Access::tenantWriter, records::patch)
      .setDoValidation(false); // takes application/merge-patch+json, which vertx-openapi cannot validate
    on(builder, "deleteRecord", Access::tenantWriter, records::delete);

    var settings = platform.settings();
    on(builder, "listSettings", io.tenantry.settings.AdminConfigEndpoints::anyAdmin, settings.admin()::listSettings);
    on(builder, "getTenantConfig", settings.admin()::own);
    on(builder, "getTenantEffectiveConfig", settings.admin()::effective);
    on(builder, "putTenantConfig", settings.admin()::put);
    on(builder, "deleteTenantConfig", settings.admin()::delete);
    on(builder, "getConfig", Access::tenantReader, settings.user()::get);
    on(builder, "putUserConfig", Access::tenantReader, settings.user()::put);
    on(builder, "deleteUserConfig", Access::tenantReader, settings.user()::delete);
    var schemas = platform.collectionSchemas(); // tenant_admin of the tenant or super-admin, checked by the handlers
    on(builder, "putCollectionSchema", schemas::put);
    on(builder, "getCollectionSchema", schemas::get);
    on(builder, "listCollectionSchemas", schemas::list);
    on(builder, "deleteCollectionSchema", schemas::delete);
    var apiKeys = platform.apiKeys();
    on(builder, "createApiKey", Access::adminScope, apiKeys::create);
    on(builder, "listApiKeys", Access::adminScope, apiKeys::list);
    on(builder, "revokeApiKey", Access::adminScope, apiKeys::revoke);
    on(builder, "logout", platform.sessions()::logout);
    on(builder, "revokeUserSessions", Access::superAdmin, platform.sessions()::revokeUserSessions);
    on(builder, "impersonateTenantUser", Access::superAdmin, platform.impersonation()::handle);
    var audit = platform.audit().endpoints(); // tenant_admin of the tenant or an ancestor, or super-admin
    on(builder, "listTenantAudit", Access::adminScope, audit::list);
    on(builder, "exportTenantAudit", Access::adminScope, audit::export);
    on(builder, "verifyTenantAudit", Access::adminScope, audit::verify);
    on(builder, "listPlatformAudit", Access::superAdmin, audit::listPlatform);


    // Operations: GET /metrics for a super-admin (trusted scrapers were served by the root handler above)
    on(builder, "getMetrics", Access::superAdmin, platform.metrics().endpoint()::scrape);

    // Usage metering and billing (docs/billing.md)
    var usage = platform.metering().endpoints();
    on(builder, "getTenantUsage", usage::tenantUsage);
    on(builder, "getPlatformUsage", Access::superAdmin, usage::platformUsage);
    var billing = platform.billing();
    on(builder, "getPlanPricing", Access::superAdmin, billing.pricing()::get);
    on(builder, "putPlanPricing", Access::superAdmin, billing.pricing()::put);
    on(builder, "listTenantSubscriptions", Access::adminScope, billing.subscriptions()::list);
    on(builder, "createTenantSubscription", Access::superAdmin, billing.subscriptions()::create);
    on(builder, "putTenantBilling", Access::superAdmin, billing.subscriptions()::putPays);
    on(builder, "listTenantInvoices", Access::adminScope, billing.invoices()::list);
    on(builder, "getTenantInvoice", Access::adminScope, billing.invoices()::get);
    on(builder, "recomputeTenantInvoice", Access::superAdmin, billing.invoices()::recompute);
    on(builder, "createCreditNote", Access::superAdmin, billing.invoices()::creditNote);
    on(builder, "finalizeBillingPeriod", Access::superAdmin, billing.invoices()::finalizePeriod);

    // declared collection indexes: tenant_admin of the tenant or super-admin, checked by the handlers
    var indexes = platform.recordIndexes();
    on(builder, "putCollectionIndex", indexes::put);
    on(builder, "listCollectionIndexes", indexes::list);
    on(builder, "deleteCollectionIndex", indexes::delete);

    // records bulk writes and change feed
    builder.rootHandler(io.tenantry.records.batch.BatchPath::guard); // after the pipeline's root handlers
    on(builder, "batchRecords", Access::tenantWriter, platform.recordBatch()::handle);
    on(builder, "listRecordChanges", Access::tenantReader, platform.recordChanges()::handle);

    // File storage (io.tenantry.storage): validated by the handlers themselves — the upload's body is a stream the
    // contract's validation would buffer, and {path} carries slashes percent-encoded (docs/storage.md)
    var files = platform.storage().endpoints();
    on(builder, "putFile", Access::tenantWriter, files::put).setDoValidation(false);
    on(builder, "getFile", Access::tenantReader, files::get).setDoValidation(false);
    on(builder, "headFile", Access::tenantReader, files::get).setDoValidation(false);
    on(builder, "deleteFile", Access::tenantWriter, files::delete).setDoValidation(false);
    on(builder, "copyFile", Access::tenantWriter, files::copy).setDoValidation(false);
    on(builder, "listFiles", Access::tenantReader, files::list).setDoValidation(false);
    on(builder, "getFileUsage", Access::tenantReader, files::usage);
    // a tenant's storage usage and quotas: tenant_admin of the tenant or an ancestor, or super-admin (the handler)
    on(builder, "getTenantStorage", Access::adminScope, platform.storage().admin()::get);

    // Tenant export and import (docs/export-format.md): super-admins only
    var transfer = platform.transfer();
    on(builder, "createTenantExport", Access::superAdmin, transfer.exportEndpoints()::create);
    on(builder, "getTenantExport", Access::superAdmin, transfer.exportEndpoints()::get);
    on(builder, "downloadTenantExport", Access::superAdmin, transfer.exportEndpoints()::bundle);
    on(builder, "importTenant", Access::superAdmin, transfer.importEndpoint()::handle)
      .setDoValidation(false); // the body is a tar, which the contract validator cannot read

    // Online moves between tiers and servers (docs/operations/tenant-moves.md): super-admins only
    var relocations = platform.relocation().endpoints();
    on(builder, "createTenantRelocation", Access::superAdmin, relocations::create);
    on(builder, "getTenantRelocation", Access::superAdmin, relocations::get);
    on(builder, "cancelTenantRelocation", Access::superAdmin, relocations::cancel);
    on(builder, "cancelTenantRelocationPost", Access::superAdmin, relocations::cancel);

    // BatchRequest.parse checks a bulk write's body as strictly as its schema, naming the operation at fault; the
    // schema's walk over up to 1,000 records was a third of the server's CPU in a bulk load (docs/benchmarks.md)
    OnLoopValidation.install(vertx, platform.contract(), builder, RequestExtractor.withBodyHandler(), Set.of("batchRecords"));
    for (OpenAPIRoute route : builder.getRoutes()) {
      if (!route.getHandlers().isEmpty()) { // first on the route, so a request its validation refuses is named too
        platform.metrics().routed(route.getOperation()).ifPresent(named -> route.getHandlers().add(0, named));
      }
    }
    Router router = builder.createRouter();
    router.route().failureHandler(ProblemHandler::handle);
    router.errorHandler(404, ProblemHandler::handle);
    router.errorHandler(405, ProblemHandler::handle);
    return router;
  }

  @SafeVarargs
  private static OpenAPIRoute on(RouterBuilder builder, String operationId, Handler<RoutingContext>... handlers) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("openapi.yaml has no operation " + operationId);
    }
    route.setDoSecurity(false); // authentication is the Authenticator's job, before validation
    ContractChecks.wire(route); // undeclared query parameters refused; validation failures explained
    if (route.getOperation().getOpenAPIPath().startsWith("/admin/") && route.getOperation().getHttpMethod() != io.vertx.core.http.HttpMethod.GET) {
      route.addHandler(io.tenantry.audit.AuditHooks.naming(operationId)); // names the after-response audit entry
    }
    List.of(handlers).forEach(route::addHandler);
    return route;
  }
}
