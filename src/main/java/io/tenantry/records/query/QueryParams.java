package io.tenantry.records.query;

import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.UUID;

/**
 * The list request's query string as a {@link RecordQuery}: {@code filter[...]}, {@code sort}, {@code fields},
 * {@code count}, {@code limit} and {@code cursor}. (Parameters the contract does not declare were refused before
 * this runs, by server.ContractChecks.) The cursor is verified against the tenant, collection, sort and filters.
 */
public final class QueryParams {
  private QueryParams() {
  }

  public static RecordQuery parse(RoutingContext ctx, UUID tenant, String collection, CursorSigner signer) {
    MultiMap params = ctx.queryParams();
    if (params.contains("filter")) {
      throw Problem.badRequest("filter: write filter[<field>]=value or filter[<field>][<op>]=value");
    }
    List<Filter> filters = FilterParser.parse(params);
    SortSpec sort = SortSpec.parse(single(params, "sort"));
    Projection projection = Projection.parse(single(params, "fields"));
    boolean count = bool(single(params, "count"));
    int limit = Paging.limit(ctx);
    String cursor = single(params, "cursor");
    String afterKey = null;
    UUID afterId = null;
    if (cursor != null && !cursor.isEmpty()) {
      JsonObject position = signer.verify(RecordQuery.scope(tenant, collection, filters, sort), cursor);
      try {
        afterId = UUID.fromString(position.getString("i"));
        afterKey = position.getString("k");
      } catch (RuntimeException e) {
        throw Problem.badRequest("the cursor is not valid for this list");
      }
      if (!sort.byId() && afterKey == null) {
        throw Problem.badRequest("the cursor is not valid for this list");
      }
    }
    return new RecordQuery(collection, filters, sort, afterKey, afterId, limit, projection, count);
  }

  private static String single(MultiMap params, String name) {
    List<String> values = params.getAll(name);
    if (values.size() > 1) {
      throw Problem.badRequest(name + " is given more than once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static boolean bool(String value) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw Problem.badRequest("count takes true or false");
  }
}
