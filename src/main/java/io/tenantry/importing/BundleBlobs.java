package io.tenantry.importing;

import io.tenantry.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An import's file bytes into the server's {@link BlobStore}, under the blob names the bundle's index gives them (the
 * tenant id is the bundle's, so they are the names its metadata holds). A blob part is copied out of the tar to a
 * spool file, then streamed into the store, which makes it durable; the import's worker waits. If the import fails
 * they are removed again: nothing of it is left.
 */
final class BundleBlobs {
  private static final Logger LOG = LoggerFactory.getLogger(BundleBlobs.class);
  private static final long TIMEOUT_MINUTES = 30;

  private final Vertx vertx;
  private final BlobStore store;
  private final Path spool;

  /** @param store null when the server has no file storage: a bundle with files is then refused */
  BundleBlobs(Vertx vertx, BlobStore store, Path spool) {
    this.vertx = vertx;
    this.store = store;
    this.spool = spool;
  }

  void write(UUID tenant, String blob, InputStream entry, long size) throws IOException {
    if (store == null) {
      throw BundleRefused.because("the bundle holds files and this server has no file storage");
    }
    Files.createDirectories(spool);
    Path file = Files.createTempFile(spool, "blob-", ".part");
    try {
      Files.copy(new java.io.FilterInputStream(entry) {
        @Override
        public void close() {
          // the tar stream stays open for the next entry
        }
      }, file, StandardCopyOption.REPLACE_EXISTING);
      AsyncFile in = await(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false)));
      try {
        BlobStore.Written written = await(store.write(tenant, blob, in, size, Long.MAX_VALUE));
        if (written.size() != size) {
          throw new IOException("blob " + blob + " stored " + written.size() + " bytes of " + size);
        }
      } finally {
        in.close();
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Removes the blobs a failed import wrote (best effort: a leftover is logged). */
  void remove(UUID tenant, List<String> blobs) {
    for (String blob : blobs) {
      try {
        await(store.delete(tenant, blob));
      } catch (IOException | RuntimeException e) {
        LOG.warn("blob {} of the failed import of tenant {} not removed: {}", blob, tenant, e.getMessage());
      }
    }
  }

  private static <T> T await(Future<T> future) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage() == null ? e.getCause().toString() : e.getCause().getMessage(),
        e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the blob store did not answer within " + TIMEOUT_MINUTES + " minutes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }
}
