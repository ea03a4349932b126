package io.tenantry.tenant;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What a super-admin's tenant search narrows to; every null field matches everything.
 *
 * @param parentId direct children of this tenant
 * @param prefix a case-insensitive prefix of the slug or of the name
 */
public record TenantFilter(Tenant.Status state, Isolation tier, String plan, UUID parentId,
                           OffsetDateTime createdAfter, OffsetDateTime createdBefore, String prefix) {
  public static final TenantFilter NONE = new TenantFilter(null, null, null, null, null, null, null);
}
