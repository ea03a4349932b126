package io.tenantry.storage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FileStorageSuite} on the local backend, and the attack only a filesystem has: links planted in the data dir. */
class FileStorageTest extends FileStorageSuite {

  @Override
  Map<String, String> backend() {
    return Map.of("storage.backend", "local");
  }

  private Path tenantDir(String tenantId) {
    return ts.config.dataDir().resolve("tenants").resolve(tenantId);
  }

  @Override
  long blobCount(String tenantId) {
    return count(tenantDir(tenantId).resolve("blobs"));
  }

  @Override
  void plantBlob(String tenantId, String blob, String content) {
    try {
      Path blobs = tenantDir(tenantId).resolve("blobs");
      Files.createDirectories(blobs);
      Files.writeString(blobs.resolve(blob), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  boolean blobExists(String tenantId, String blob) {
    return Files.exists(tenantDir(tenantId).resolve("blobs").resolve(blob));
  }

  @Override
  long temporaries(String tenantId) {
    return count(tenantDir(tenantId).resolve("tmp"));
  }

  @Test
  void aLinkPlantedInTheDataDirLeadsNowhere() throws Exception {
    String tier = "shared";
    String a = tokens.get(tier)[0];
    String b = tokens.get(tier)[1];
    assertThat(put("planted.txt", b, Buffer.buffer("B's bytes"), Map.of()).statusCode()).isEqualTo(201);
    assertThat(put("mine.txt", a, Buffer.buffer("A's bytes"), Map.of()).statusCode()).isEqualTo(201);
    Path blobsA = tenantDir(ids.get(tier)[0]).resolve("blobs");
    Path blobsB = tenantDir(ids.get(tier)[1]).resolve("blobs");
    Path mine = newest(blobsA);
    Path theirs = newest(blobsB);
    Files.delete(mine);
    Files.createSymbolicLink(mine, theirs);
    HttpResponse<Buffer> r = send(HttpMethod.GET, "/api/v1/files/mine.txt", a);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.bodyAsString()).doesNotContain("B's bytes");
    Files.delete(mine);
  }

  /** The blob written last (the file just uploaded). */
  private static Path newest(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.max(java.util.Comparator.comparing(p -> {
        try {
          return Files.getLastModifiedTime(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      })).orElseThrow();
    }
  }
}
