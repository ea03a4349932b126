package io.tenantry.relocation;

import io.tenantry.cluster.Membership;
import io.tenantry.config.Config;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;

/**
 * Online moves as the server wires them: this node's write gates (the data plane reads them), the gates' cluster
 * address, the move jobs and their endpoints. Moves run on a worker pool of their own (exports.threads threads).
 */
public record TenantRelocation(ClusterGates gates, Relocations relocations, RelocationEndpoints endpoints,
                               WorkerExecutor workers) {

  public static TenantRelocation create(Vertx vertx, Config config, Pool pool, TenantStore tenants, TenantRegistry registry,
                                        TenantProvisioner provisioner, Membership membership, WriteGates local) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("tenantry-relocation", config.exports().threads(),
      6, java.util.concurrent.TimeUnit.HOURS);
    ClusterGates gates = new ClusterGates(vertx.eventBus(), membership, local, registry);
    String host = System.getenv("HOSTNAME");
    String node = (host == null || host.isBlank() ? "localhost" : host) + ":" + config.httpPort();
    Relocations relocations = new Relocations(vertx, pool, config, provisioner, gates, registry, workers, node);
    return new TenantRelocation(gates, relocations, new RelocationEndpoints(tenants, relocations), workers);
  }

  /** Listens for gate requests, then cleans up after moves this node was running when it stopped. */
  public Future<Void> start() {
    return gates.listen().compose(v -> relocations.start().otherwiseEmpty()); // a failed clean-up is logged, not fatal
  }

  public Future<Void> stop() {
    return workers.close();
  }
}
