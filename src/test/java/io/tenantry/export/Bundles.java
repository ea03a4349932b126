package io.tenantry.export;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers: export through the admin API, import a bundle, and take bundles apart and put them back together. */
final class Bundles {
  private Bundles() {
  }

  /** Starts an export, waits for it, and answers the job when done. */
  static JsonObject export(TestServer ts, String root, String slug, boolean passwordHashes) {
    HttpResponse<Buffer> started = ts.api.post("/admin/v1/tenants/" + slug + "/exports", root,
      new JsonObject().put("include_password_hashes", passwordHashes));
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
    String location = started.getHeader("Location");
    JsonObject[] job = new JsonObject[1];
    Eventually.within(Duration.ofSeconds(60), "export of " + slug + " done", () -> {
      job[0] = ts.api.get(location, root).bodyAsJsonObject();
      assertThat(job[0].getString("state")).as(job[0].encode()).isNotEqualTo("failed");
      return job[0].getString("state").equals("done");
    });
    return job[0];
  }

  static byte[] download(TestServer ts, String root, JsonObject job) {
    HttpResponse<Buffer> r = ts.api.get(job.getString("bundle"), root);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.body().getBytes();
  }

  static HttpResponse<Buffer> importBundle(TestServer ts, String root, byte[] bundle, String query) {
    return io.tenantry.support.Await.result(ts.api.request(HttpMethod.POST,
        "/admin/v1/imports" + (query == null ? "" : "?" + query), root)
      .putHeader("Content-Type", "application/x-tar").sendBuffer(Buffer.buffer(bundle)), 60);
  }

  /** The entries of a tar, in order. */
  static Map<String, byte[]> entries(byte[] tar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  static byte[] tar(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        out.putArchiveEntry(entry);
        out.write(e.getValue());
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** The bundle with one entry changed. */
  static byte[] edit(byte[] bundle, String name, UnaryOperator<byte[]> change) throws IOException {
    Map<String, byte[]> entries = entries(bundle);
    assertThat(entries).containsKey(name);
    entries.put(name, change.apply(entries.get(name)));
    return tar(entries);
  }
}
