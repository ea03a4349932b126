package io.tenantry.export;

import io.tenantry.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The blobs of a bundle's files, read through the server's {@link BlobStore} (whatever its backend) into spool files
 * on the export worker, one part per file, each checked against the metadata's size and SHA-256: the bytes in the
 * bundle are those the snapshot's metadata describes, or the export fails (a file replaced or deleted after the
 * snapshot has lost the bytes it named: export again).
 */
public final class StoredFiles implements BundleFiles {
  private static final long READ_TIMEOUT_MINUTES = 30;

  private final Vertx vertx;
  private final BlobStore blobs;

  public StoredFiles(Vertx vertx, BlobStore blobs) {
    this.vertx = vertx;
    this.blobs = blobs;
  }

  @Override
  public long export(UUID tenantId, Path index, Path spoolDir, PartSink sink) throws IOException {
    long total = 0;
    try (BufferedReader lines = Files.newBufferedReader(index, StandardCharsets.UTF_8)) {
      for (String line; (line = lines.readLine()) != null; ) {
        JsonObject meta = new JsonObject(line);
        String blob = meta.getString("blob");
        String name = BundleFormat.blob(blob);
        long size = meta.getLong("size");
        Path spooled = Files.createTempFile(spoolDir, "blob-", ".spool");
        if (size > 0) {
          read(tenantId, blob, size, spooled, meta.getString("path"));
        }
        String sha = Sha256.of(spooled);
        long bytes = Files.size(spooled);
        if (bytes != size || !sha.equals(meta.getString("sha256"))) {
          throw new IOException("file " + meta.getString("path") + " changed while the export ran; export again");
        }
        sink.add(name, spooled, new Manifest.Part(name, sha, bytes, 1));
        total += bytes;
      }
    }
    return total;
  }

  private void read(UUID tenantId, String blob, long size, Path into, String path) throws IOException {
    AsyncFile file = await(vertx.fileSystem().open(into.toString(), new OpenOptions().setWrite(true)
      .setTruncateExisting(true)), path);
    try {
      await(blobs.readInto(tenantId, blob, 0, size, file), path); // ends (closes) the file
    } catch (IOException e) {
      file.close();
      throw e;
    }
  }

  private static <T> T await(Future<T> future, String path) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(READ_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IOException("file " + path + " could not be read (deleted or replaced while the export ran? export "
        + "again): " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("file " + path + " was not read within " + READ_TIMEOUT_MINUTES + " minutes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading file " + path);
    }
  }

  @Override
  public boolean included() {
    return true;
  }
}
