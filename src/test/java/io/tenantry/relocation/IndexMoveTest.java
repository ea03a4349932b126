package io.tenantry.relocation;

import io.tenantry.records.indexes.IndexedTenant;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A move carries the tenant's declared indexes: after it, the new home's records table has every index of the
 * declaration (the filter it serves answers where the guard refuses an unindexed one), the declaration is ready, and
 * the old copy leaves none of the tenant's indexes behind (on shared.records they are partial indexes that outlive
 * the rows) — nor does a shared-tier tenant that is purged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexMoveTest {
  private TestServer server;
  private String root;

  @BeforeAll
  void start() {
    server = TestServer.start(Map.of("relocations.grace-seconds", "1", "relocations.drain-ms", "300",
      "records.max-rows-scanned", "1000", "db.connect-timeout-ms", "30000", "tenancy.delete-grace-seconds", "1"));
    root = server.adminToken();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"shared, schema", "schema, database", "database, shared"})
  void aMovedTenantKeepsItsDeclaredIndexesAndItsOldCopyKeepsNone(String from, String to) throws SQLException {
    String slug = "ix-" + from + "-" + to;
    HttpResponse<Buffer> created = server.api.post("/admin/v1/tenants", root,
      new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("isolation", from));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    server.addUser(root, slug, "member@" + slug + ".test", "member");
    String token = server.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug);
    UUID id = UUID.fromString(tenantRow(slug).getString("id"));
    IndexedTenant.Table before = IndexedTenant.Table.of(server, tenantRow(slug));
    IndexedTenant.fill(before, id);
    IndexedTenant.declare(server, root, slug);
    assertThat(IndexedTenant.indexes(before, id)).isEqualTo(IndexedTenant.declaredNames(id));
    IndexedTenant.assertServed(server, token);

    HttpResponse<Buffer> started = server.api.post("/admin/v1/tenants/" + slug + "/relocations", root,
      new JsonObject().put("isolation", to));
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
    String job = "/admin/v1/tenants/" + slug + "/relocations/" + started.bodyAsJsonObject().getString("id");
    Eventually.within(Duration.ofSeconds(120), "the move is done and its old copy removed", () -> {
      JsonObject state = server.api.get(job, root).bodyAsJsonObject();
      assertThat(state.getString("phase")).as(state.encode()).isNotIn("failed", "cancelled");
      return state.getString("phase").equals("done");
    });

    IndexedTenant.Table after = IndexedTenant.Table.of(server, tenantRow(slug));
    assertThat(after).isNotEqualTo(before);
    assertThat(IndexedTenant.indexes(after, id)).as("the new home's indexes").isEqualTo(IndexedTenant.declaredNames(id));
    IndexedTenant.waitReady(server, root, slug);
    IndexedTenant.assertServed(server, token);
    assertThat(IndexedTenant.indexes(before, id)).as("the old copy's indexes").isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aPurgedSharedTierTenantLeavesNoIndexBehindOnTheSharedTable() throws SQLException {
    String slug = "ix-purged";
    HttpResponse<Buffer> created = server.api.post("/admin/v1/tenants", root,
      new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("isolation", "shared"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    UUID id = UUID.fromString(tenantRow(slug).getString("id"));
    IndexedTenant.Table shared = IndexedTenant.Table.of(server, tenantRow(slug));
    IndexedTenant.fill(shared, id);
    IndexedTenant.declare(server, root, slug);
    assertThat(IndexedTenant.indexes(shared, id)).hasSize(4);
    HttpResponse<Buffer> deleted = server.api.delete("/admin/v1/tenants/" + slug, root, null);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isBetween(200, 204);
    Eventually.within(Duration.ofSeconds(60), "the purge drops the tenant's indexes", () -> {
      try {
        return IndexedTenant.indexes(shared, id).isEmpty();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private JsonObject tenantRow(String slug) {
    return server.api.get("/admin/v1/tenants/" + slug, root).bodyAsJsonObject();
  }
}
