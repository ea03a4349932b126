package io.tenantry.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests the data-plane router may take: only those whose normalized path is the raw one's /api/ path. */
class DataPlaneRoutingTest {
  @Test
  void plainDataPlanePathsGoToTheDataPlaneRouter() {
    assertThat(DataPlaneRouting.serves("/api/v1/collections/notes/records/0190f0a2-6a1b-7c3d-8e4f-0123456789ab")).isTrue();
    assertThat(DataPlaneRouting.serves("/api/v1/collections/notes/records")).isTrue();
  }

  @Test
  void pathsNormalizationCouldMoveGoToTheFullRouter() {
    assertThat(DataPlaneRouting.serves("/api/../admin/v1/tenants")).isFalse();
    assertThat(DataPlaneRouting.serves("/api/%2e%2e/admin/v1/tenants")).isFalse();
    assertThat(DataPlaneRouting.serves("/api/v1/files/report.pdf")).isFalse();
    assertThat(DataPlaneRouting.serves("/t/acme/api/v1/collections/notes/records")).isFalse();
    assertThat(DataPlaneRouting.serves("/admin/v1/tenants")).isFalse();
    assertThat(DataPlaneRouting.serves("/apis/v1")).isFalse();
    assertThat(DataPlaneRouting.serves(null)).isFalse();
  }

  @Test
  void theDataPlaneRouterMountsTheContractsApiPathsOnly() {
    assertThat(DataPlaneRouting.mounts("/api/v1/collections/{collection}/records/{id}")).isTrue();
    assertThat(DataPlaneRouting.mounts("/admin/v1/tenants/{slug}")).isFalse();
    assertThat(DataPlaneRouting.mounts("/auth/token")).isFalse();
  }

  /** Built from the contract, the data-plane router keeps the /api/ operations' routes and no other. */
  @Test
  void theDataPlaneRouterHoldsTheDataPlanesRoutesOnly() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      var contract = ApiContract.load(vertx).await(30, java.util.concurrent.TimeUnit.SECONDS).contract();
      var builder = io.vertx.ext.web.openapi.router.RouterBuilder.create(vertx, contract);
      builder.getRoutes().forEach(route -> route.setDoSecurity(false).addHandler(ctx -> ctx.end()));
      io.vertx.ext.web.Router all = builder.createRouter();
      java.util.List<String> before = paths(all);
      java.util.List<String> kept = paths(DataPlaneRouting.only(all));
      assertThat(before).anyMatch(path -> path.startsWith("/admin/")).contains("/api/v1/collections/{collection}/records/{id}");
      assertThat(kept).isNotEmpty().allMatch(path -> path.startsWith("/api/"))
        .containsAll(before.stream().filter(path -> path.startsWith("/api/")).toList());
    } finally {
      vertx.close();
    }
  }

  private static java.util.List<String> paths(io.vertx.ext.web.Router router) {
    return router.getRoutes().stream().map(route -> route.getMetadata(DataPlaneRouting.OPERATION))
      .filter(io.vertx.openapi.contract.Operation.class::isInstance)
      .map(operation -> ((io.vertx.openapi.contract.Operation) operation).getOpenAPIPath()).toList();
  }
}
