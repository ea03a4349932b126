package io.tenantry.server;

import io.tenantry.admin.MembershipEndpoints;
import io.tenantry.admin.PoolsEndpoint;
import io.tenantry.auth.MeEndpoint;
import io.tenantry.auth.PasswordResetEndpoint;
import io.tenantry.apikeys.ApiKeyEndpoints;
import io.tenantry.admin.HierarchyEndpoints;
import io.tenantry.admin.TenantAdminEndpoints;
import io.tenantry.auth.TokenEndpoint;
import io.tenantry.colschema.CollectionSchemaEndpoints;
import io.tenantry.config.Config;
import io.tenantry.domains.CustomDomains;
import io.tenantry.idempotency.IdempotentCreation;
import io.tenantry.health.Draining;
import io.tenantry.pipeline.Pipeline;
import io.tenantry.pool.LoopAffinePool;
import io.tenantry.ratelimit.RateLimiting;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.settings.Settings;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.openapi.contract.OpenAPIContract;

/**
 * The services every HTTP verticle shares, created once at boot and handed in — never looked up via statics.
 */
public record Platform(
  Config config,
  LoopAffinePool pool,
  OpenAPIContract contract,
  Buffer openApiDocument,
  HealthChecks readiness,
  Draining draining,
  Pipeline pipeline,
  RateLimiting rateLimiting,
  TokenEndpoint tokens,
  TenantAdminEndpoints tenantAdmin,
  PoolsEndpoint pools,
  RecordEndpoints records,
  MembershipEndpoints members,
  MeEndpoint me,
  PasswordResetEndpoint passwordResets,
  Settings settings,
  CollectionSchemaEndpoints collectionSchemas,
  ApiKeyEndpoints apiKeys,
  HierarchyEndpoints hierarchy,
  io.tenantry.sessions.Sessions sessions,
  CustomDomains customDomains,
  IdempotentCreation idempotentCreation,

  io.tenantry.lifecycle.LifecycleEndpoints lifecycle,
  io.tenantry.lifecycle.TenantPurge purge,

  io.tenantry.provisioning.Provisioning provisioning,
  io.tenantry.provisioning.ProvisioningEndpoints provisioningEndpoints,
  io.tenantry.templates.TemplateEndpoints templates,
  io.tenantry.idp.ExternalTokens externalTokens,
  io.tenantry.admin.ImpersonationEndpoint impersonation,
  io.tenantry.audit.Audit audit,
  io.tenantry.admin.TenantSearchEndpoints tenantSearch,
  io.tenantry.queries.QueryEndpoint queries,

  // Tenant export and import (docs/export-format.md)
  io.tenantry.export.TenantTransfer transfer,
  // File storage (io.tenantry.storage)
  io.tenantry.storage.Storage storage,
  // records bulk writes and change feed
  io.tenantry.records.batch.BatchEndpoint recordBatch,
  io.tenantry.records.changes.ChangeEndpoint recordChanges,
  // record queries (filters, sorts, cursors) and declared collection indexes
  io.tenantry.records.query.RecordListEndpoint recordList,
  io.tenantry.records.indexes.IndexEndpoints recordIndexes,
  // Usage metering and billing (docs/billing.md)
  io.tenantry.metering.Metering metering,
  io.tenantry.billing.Billing billing,
  // Operations: metrics (GET /metrics) and the busiest tenants' series
  io.tenantry.metrics.Metrics metrics,

  // Online moves between tiers and servers (docs/operations/tenant-moves.md)
  io.tenantry.relocation.TenantRelocation relocation) {
}
