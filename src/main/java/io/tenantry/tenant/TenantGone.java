package io.tenantry.tenant;

import java.util.UUID;

/**
 * The tenant a request was resolved to no longer exists (deleted while the request was in flight, or between a
 * cache hit and the query). An expected outcome, answered 404; no stack trace.
 */
public final class TenantGone extends RuntimeException {
  public TenantGone(UUID tenantId) {
    super("tenant " + tenantId + " no longer exists", null, false, false);
  }
}
