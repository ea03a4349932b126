package io.tenantry.ratelimit;

import java.util.UUID;

/**
 * One budget a tenant's requests draw from besides its own: the subtree budget of {@code holder} (an ancestor or the
 * tenant itself; {@code child} null), or the cap of the branch under {@code holder} that starts at {@code child}.
 * {@code holderSlug} is what a refusal names.
 */
public record SubtreeLimit(UUID holder, String holderSlug, UUID child, Rate rate) {
  public boolean cap() {
    return child != null;
  }
}
