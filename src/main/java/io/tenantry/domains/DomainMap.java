package io.tenantry.domains;

import io.tenantry.tenant.HostTenants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every custom domain of the platform, held in memory on each node so that resolving a host costs no database round
 * trip, whether the host is mapped or not. Loaded at start and reloaded whole on a change notice from any node
 * (the table is small: one row per domain); a reload that loses a race with a newer one is dropped.
 */
public final class DomainMap implements HostTenants {
  public static final String CHANGED_ADDRESS = "tenantry.domains.changed";
  private static final Logger LOG = LoggerFactory.getLogger(DomainMap.class);

  private final DomainStore store;
  private final AtomicLong generation = new AtomicLong();
  private volatile Map<String, UUID> hosts = Map.of();
  private Vertx vertx;
  private MessageConsumer<Object> consumer;

  DomainMap(DomainStore store) {
    this.store = store;
  }

  @Override
  public UUID tenantOf(String host) {
    return hosts.get(host);
  }

  Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    consumer = vertx.eventBus().consumer(CHANGED_ADDRESS, message -> reload());
    return consumer.completion().compose(v -> reload());
  }

  /** Reloads here before answering the change's caller, and tells every node to reload. */
  Future<Void> changed() {
    return reload().onComplete(done -> vertx.eventBus().publish(CHANGED_ADDRESS, null));
  }

  /** Also called when the cluster membership changes, since a notice may have been lost meanwhile. */
  public Future<Void> reload() {
    long mine = generation.incrementAndGet();
    return store.all()
      .onSuccess(loaded -> {
        if (generation.get() == mine) {
          hosts = Map.copyOf(loaded);
        }
      })
      .onFailure(e -> LOG.warn("custom domains not reloaded: {}", e.getMessage()))
      .mapEmpty();
  }

  void stop() {
    if (consumer != null) {
      consumer.unregister();
    }
  }
}
