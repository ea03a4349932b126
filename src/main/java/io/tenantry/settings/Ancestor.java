package io.tenantry.settings;

import java.util.UUID;

/** A tenant above another in the tenant hierarchy; its slug is the source its values are reported under. */
public record Ancestor(UUID id, String slug) {
}
