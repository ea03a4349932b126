package io.tenantry.cli;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One entry of a tenants file: what the tenant should be. A null field is not managed by the file (left as the
 * server has it); {@code config}, when given, is the tenant's complete set of own values.
 */
record DesiredTenant(int line, String slug, String name, String parent, String isolation, String plan,
                     JsonObject config, List<String> admins, String template) {
}
