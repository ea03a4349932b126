package io.tenantry.queries;

import io.tenantry.http.Problem;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.tenant.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of POST /admin/v1/queries, checked: which tenants (exactly one of {@code tenants}, {@code subtree},
 * {@code all}), the collection, a JSON containment filter and the records per tenant.
 */
record QueryRequest(String collection, Target target, JsonObject filter, int limit) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;
  static final int MAX_TENANTS = 1000;

  /** Which tenants a query runs in. */
  sealed interface Target {
  }

  /** These tenants, in this order. */
  record Listed(List<String> slugs) implements Target {
  }

  /** This tenant and every tenant below it. */
  record Subtree(String slug) implements Target {
  }

  /** Every tenant. */
  record All() implements Target {
  }

  static QueryRequest parse(JsonObject body) {
    if (body == null) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    Object collection = body.getValue("collection");
    if (!(collection instanceof String name) || !RecordEndpoints.COLLECTION.matcher(name).matches()) {
      throw Problem.badRequest("collection is required and must match " + RecordEndpoints.COLLECTION.pattern());
    }
    Object filter = body.getValue("filter", new JsonObject());
    if (!(filter instanceof JsonObject fragment)) {
      throw Problem.badRequest("filter must be a JSON object: records whose data contains it are returned "
        + "(PostgreSQL jsonb containment, @>); {} matches every record");
    }
    return new QueryRequest(name, target(body), fragment, limit(body.getValue("limit")));
  }

  private static Target target(JsonObject body) {
    int named = (body.containsKey("tenants") ? 1 : 0) + (body.containsKey("subtree") ? 1 : 0)
      + (body.containsKey("all") ? 1 : 0);
    if (named != 1) {
      throw Problem.badRequest("name the tenants with exactly one of \"tenants\" (a list of slugs), \"subtree\" "
        + "(a slug) or \"all\": true");
    }
    if (body.containsKey("all")) {
      if (!Boolean.TRUE.equals(body.getValue("all"))) {
        throw Problem.badRequest("all must be true (or name the tenants with \"tenants\" or \"subtree\")");
      }
      return new All();
    }
    if (body.containsKey("subtree")) {
      return new Subtree(slug(body.getValue("subtree"), "subtree"));
    }
    if (!(body.getValue("tenants") instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_TENANTS) {
      throw Problem.badRequest("tenants must be a list of 1 to " + MAX_TENANTS + " tenant slugs");
    }
    List<String> slugs = new ArrayList<>(list.size());
    Set<String> seen = new HashSet<>();
    for (Object item : list) {
      String slug = slug(item, "tenants");
      if (!seen.add(slug)) {
        throw Problem.badRequest("tenants names '" + slug + "' more than once");
      }
      slugs.add(slug);
    }
    return new Listed(List.copyOf(slugs));
  }

  private static String slug(Object value, String field) {
    if (!(value instanceof String slug) || !Tenant.SLUG.matcher(slug).matches()) {
      throw Problem.badRequest(field + " takes tenant slugs, matching " + Tenant.SLUG.pattern());
    }
    return slug;
  }

  private static int limit(Object value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    if (!(value instanceof Integer limit) || limit < 1 || limit > MAX_LIMIT) {
      throw Problem.badRequest("limit (records per tenant) must be a whole number from 1 to " + MAX_LIMIT);
    }
    return limit;
  }
}
