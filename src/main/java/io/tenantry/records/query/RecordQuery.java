package io.tenantry.records.query;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One list request on a collection, parsed: its filters (ANDed), sort, the position after which the page starts
 * (from a verified cursor; null on the first page), the page size, the projection (null: whole documents) and
 * whether a count is wanted.
 */
public record RecordQuery(String collection, List<Filter> filters, SortSpec sort, String afterKey, UUID afterId,
                          int limit, Projection projection, boolean count) {

  /** Plain creation-order paging: the one statement the records list always was, with no planning checks. */
  public boolean plain() {
    return filters.isEmpty() && sort.byId() && !count;
  }

  /** What a cursor is bound to besides the tenant: collection, sort and filters. */
  public static String scope(java.util.UUID tenant, String collection, List<Filter> filters, SortSpec sort) {
    return "records|" + tenant + "|" + collection + "|" + sort.canonical() + "|"
      + filters.stream().map(Filter::canonical).collect(Collectors.joining("\u0002"));
  }
}
