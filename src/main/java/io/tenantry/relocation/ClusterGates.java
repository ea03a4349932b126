package io.tenantry.relocation;

import io.tenantry.cluster.Membership;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A move's write gate on every node: each node listens on an address of its own
 * ({@code tenantry.relocation.gate.<node id>}) and a move asks every member it sees, waiting for all their answers
 * (a node that does not answer fails the step, and the move gives up with the tenant where it was). Opening after a
 * switch first forgets the tenant on that node, so the requests it held resolve the new placement.
 */
public final class ClusterGates {
  static final String ADDRESS = "tenantry.relocation.gate.";

  private final EventBus eventBus;
  private final Membership membership;
  private final WriteGates local;
  private final TenantRegistry registry;

  public ClusterGates(EventBus eventBus, Membership membership, WriteGates local, TenantRegistry registry) {
    this.eventBus = eventBus;
    this.membership = membership;
    this.local = local;
    this.registry = registry;
  }

  public WriteGates local() {
    return local;
  }

  public Future<Void> listen() {
    return eventBus.<JsonObject>consumer(ADDRESS + membership.nodeId(), message -> {
      JsonObject m = message.body();
      UUID tenant = UUID.fromString(m.getString("tenant"));
      switch (m.getString("op")) {
        case "arm" -> {
          local.arm(tenant);
          message.reply("armed");
        }
        case "close" -> local.close(tenant, m.getLong("bound_ms"), m.getLong("drain_ms"))
          .onSuccess(v -> message.reply("closed"))
          .onFailure(e -> message.fail(500, e.getMessage()));
        default -> {
          if (m.getString("slug") != null) {
            registry.evictHere(tenant, m.getString("slug"));
          }
          local.open(tenant);
          message.reply("open");
        }
      }
    }).completion();
  }

  Future<Void> arm(UUID tenant, long timeoutMs) {
    return all(new JsonObject().put("op", "arm").put("tenant", tenant.toString()), timeoutMs);
  }

  Future<Void> close(UUID tenant, long boundMs, long drainMs) {
    return all(new JsonObject().put("op", "close").put("tenant", tenant.toString()).put("bound_ms", boundMs)
      .put("drain_ms", drainMs), drainMs + 1000);
  }

  /** @param slug the tenant's slug when its placement changed (every node forgets it first), else null */
  Future<Void> open(UUID tenant, String slug, long timeoutMs) {
    return all(new JsonObject().put("op", "open").put("tenant", tenant.toString()).put("slug", slug), timeoutMs);
  }

  private Future<Void> all(JsonObject message, long timeoutMs) {
    List<String> nodes = membership.members().isEmpty() ? List.of(membership.nodeId()) : membership.members();
    List<Future<?>> answers = new ArrayList<>();
    for (String node : nodes) {
      answers.add(eventBus.request(ADDRESS + node, message, new DeliveryOptions().setSendTimeout(timeoutMs)));
    }
    return Future.all(answers).mapEmpty();
  }
}
