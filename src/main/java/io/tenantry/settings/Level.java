package io.tenantry.settings;

import java.util.Map;

/** The values set at one level of the resolution (an ancestor, the tenant, a user), named by its source. */
public record Level(String source, Map<String, Object> values) {
}
