package io.tenantry.export;

import io.tenantry.records.indexes.IndexedTenant;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bundle carries the tenant's index declarations (indexes.ndjson, format version 3) and an import builds the
 * indexes where the tenant lands: the filter they serve answers there (the 422 guard refuses an unindexed one). A
 * version 2 bundle, which has no declarations, still imports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexExportImportTest {
  private static final Map<String, String> SETTINGS = Map.of("records.max-rows-scanned", "1000",
    "db.connect-timeout-ms", "30000");
  private TestServer source;
  private TestServer target;
  private String sourceRoot;
  private String targetRoot;

  @BeforeAll
  void start() {
    source = TestServer.start(SETTINGS);
    target = TestServer.start(SETTINGS);
    sourceRoot = source.adminToken();
    targetRoot = target.adminToken();
  }

  @AfterAll
  void stop() {
    target.close();
    source.close();
  }

  @ParameterizedTest(name = "{0} there, {1} here")
  @CsvSource({"shared, schema", "schema, database", "database, shared"})
  void anImportBuildsTheDeclaredIndexesTheBundleCarries(String from, String to) throws Exception {
    String slug = "ixb-" + from;
    UUID id = indexedTenant(slug, from);
    byte[] bundle = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, slug, true));
    Map<String, byte[]> entries = Bundles.entries(bundle);
    JsonObject line = new JsonObject(new String(entries.get(BundleFormat.INDEXES), StandardCharsets.UTF_8).trim());
    assertThat(line.getString("collection")).isEqualTo(IndexedTenant.COLLECTION);
    assertThat(line.getString("name")).isEqualTo("amount");
    assertThat(line.getString("field")).isEqualTo("amount");

    HttpResponse<Buffer> imported = Bundles.importBundle(target, targetRoot, bundle, "isolation=" + to);
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
    IndexedTenant.waitReady(target, targetRoot, slug);
    JsonObject tenant = target.api.get("/admin/v1/tenants/" + slug, targetRoot).bodyAsJsonObject();
    assertThat(IndexedTenant.indexes(IndexedTenant.Table.of(target, tenant), id)).isEqualTo(IndexedTenant.declaredNames(id));
    String token = target.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug);
    IndexedTenant.assertServed(target, token);
  }

  @Test
  void aVersionTwoBundleWithoutDeclarationsStillImports() throws Exception {
    String slug = "ixb-v2";
    indexedTenant(slug, "shared");
    byte[] bundle = Bundles.download(source, sourceRoot, Bundles.export(source, sourceRoot, slug, true));
    Map<String, byte[]> entries = Bundles.entries(bundle);
    entries.remove(BundleFormat.INDEXES);
    JsonObject manifest = new JsonObject(Buffer.buffer(entries.get(BundleFormat.MANIFEST))).put("format_version", 2);
    JsonArray parts = new JsonArray();
    manifest.getJsonArray("parts").forEach(p -> {
      if (!((JsonObject) p).getString("name").equals(BundleFormat.INDEXES)) {
        parts.add(p);
      }
    });
    entries.put(BundleFormat.MANIFEST, manifest.put("parts", parts).toBuffer().getBytes());

    HttpResponse<Buffer> imported = Bundles.importBundle(target, targetRoot, Bundles.tar(entries), "isolation=schema");
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
    assertThat(target.api.get(IndexedTenant.collectionIndexes(slug), targetRoot).bodyAsJsonObject()
      .getJsonArray("items")).isEmpty();
    String token = target.api.token("member@" + slug + ".test", "password-of-member@" + slug + ".test", slug);
    assertThat(target.api.get("/api/v1/collections/" + IndexedTenant.COLLECTION + "/records?limit=5", token)
      .bodyAsJsonObject().getJsonArray("items")).hasSize(5);
  }

  /** A tenant on the source with the collection filled and its index on amount declared and ready. */
  private UUID indexedTenant(String slug, String tier) throws Exception {
    HttpResponse<Buffer> created = source.api.post("/admin/v1/tenants", sourceRoot,
      new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("isolation", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    source.addUser(sourceRoot, slug, "member@" + slug + ".test", "member");
    JsonObject tenant = source.api.get("/admin/v1/tenants/" + slug, sourceRoot).bodyAsJsonObject();
    UUID id = UUID.fromString(tenant.getString("id"));
    IndexedTenant.fill(IndexedTenant.Table.of(source, tenant), id);
    IndexedTenant.declare(source, sourceRoot, slug);
    return id;
  }
}
