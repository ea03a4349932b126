package io.tenantry.importing;

import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;

/** Where a bundle's tenant goes: its slug here, its tier, and (database tier) its database. */
record ImportTarget(String slug, Isolation isolation, DbTarget database) {
}
