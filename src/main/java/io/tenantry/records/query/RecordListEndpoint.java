package io.tenantry.records.query;

import io.tenantry.http.Responses;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.tenant.Tenant;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /api/v1/collections/{collection}/records: a page of the tenant's records of one collection, filtered, sorted
 * and projected as the query string says (docs/records-api.md#queries).
 */
public final class RecordListEndpoint {
  private final RecordQueries queries;

  public RecordListEndpoint(RecordQueries queries) {
    this.queries = queries;
  }

  public void handle(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    RecordQuery query = QueryParams.parse(ctx, tenant.id(), RecordEndpoints.collection(ctx), queries.signer());
    Responses.when(ctx, queries.page(tenant, query), body -> Responses.json(ctx, 200, body));
  }
}
