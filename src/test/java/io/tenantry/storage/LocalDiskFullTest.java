package io.tenantry.storage;

import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local blob store on a volume that fills up: the server's data directory on a tmpfs of 1 MiB, mounted for the
 * test (root only; skipped where mounting is not allowed). An upload the disk cannot hold is a 507 storage-full
 * problem; its partial file is removed, the tenant's usage and stored files are as before, and once the space is
 * back an upload succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalDiskFullTest {
  private Path volume;
  private boolean mounted;
  private TestServer ts;
  private String root;
  private String member;

  @BeforeAll
  void start() throws Exception {
    volume = Files.createTempDirectory("tenantry-full-");
    mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", volume.toString());
    Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root (CAP_SYS_ADMIN)");
    ts = TestServer.start(Map.of("storage.backend", "local", "data-dir", volume.toString()));
    root = ts.adminToken();
    member = ts.tenantWithUser(root, "full-disk", "member");
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (ts != null) {
        ts.close();
      }
    } finally {
      if (mounted) {
        run("umount", volume.toString());
      }
      Files.deleteIfExists(volume);
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private HttpResponse<Buffer> put(String path, byte[] bytes) {
    return Await.result(ts.api.request(HttpMethod.PUT, "/api/v1/files/" + path, member).sendBuffer(Buffer.buffer(bytes)), 30);
  }

  private JsonObject usage() {
    HttpResponse<Buffer> r = ts.api.get("/admin/v1/tenants/full-disk/storage", root);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void anUploadTheDiskCannotHoldIsInsufficientStorageAndChangesNothing() throws IOException {
    byte[] kept = random(10_000);
    assertThat(put("kept.bin", kept).statusCode()).isEqualTo(201);
    JsonObject before = usage();

    JsonObject problem = assertProblem(put("too-big.bin", random(2 << 20)), 507);
    assertThat(problem.getString("type")).endsWith("/storage-full");
    assertThat(problem.getString("detail")).contains("no space left");

    assertThat(usage()).isEqualTo(before);
    assertThat(ts.api.get("/api/v1/files/too-big.bin", member).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> got = ts.api.get("/api/v1/files/kept.bin", member);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body().getBytes()).isEqualTo(kept);
    try (Stream<Path> files = Files.walk(volume)) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".part"))).isEmpty();
    }

    byte[] later = random(20_000);
    assertThat(put("later.bin", later).statusCode()).isEqualTo(201);
    assertThat(ts.api.get("/api/v1/files/later.bin", member).body().getBytes()).isEqualTo(later);
  }
}
