package io.tenantry.metering;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One drain of a node's counters: (node, seq) names it, so storing it twice stores it once. Kept until stored.
 */
public record UsageBatch(UUID node, long seq, Instant hour, List<Count> counts, List<User> users) {
  public record Count(UUID tenantId, Meter meter, long quantity) {
  }

  public record User(UUID tenantId, UUID userId) {
  }
}
