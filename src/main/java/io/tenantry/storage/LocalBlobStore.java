package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs on the local disk: {@code <data-dir>/tenants/<tenant id>/blobs/<blob>}, written as
 * {@code tmp/<blob>.part} (created exclusively), fsync'd, atomically renamed into place and the directory fsync'd.
 * The path is built from the tenant's UUID and a checked blob name only; before any use, every directory on the way
 * and the blob itself must be what they seem (a real directory, a regular file — never a symbolic link planted
 * there), so a link cannot lead one tenant's request into another's directory. fsync, renames and directory work
 * run on the storage's own worker executor, never on the shared worker pool (which request validation uses).
 */
final class LocalBlobStore implements BlobStore {
  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final Path tenants;

  LocalBlobStore(Vertx vertx, WorkerExecutor worker, Path dataDir) {
    this.vertx = vertx;
    this.worker = worker;
    this.tenants = dataDir.toAbsolutePath().normalize().resolve("tenants");
  }

  /** File reads and writes move this much at a time: one worker hand-off per 256 KiB, not per 8 KiB. */
  static final int FILE_CHUNK_BYTES = 256 * 1024;

  @Override
  public Future<Written> write(UUID tenant, String blob, ReadStream<Buffer> body, long length, long maxBytes) {
    Blobs.checked(blob);
    if (length > maxBytes) {
      return Future.failedFuture(new BlobTooLarge());
    }
    Path tmp = tmpDir(tenant).resolve(blob + ".part");
    Path target = blobDir(tenant).resolve(blob);
    return worker.executeBlocking(() -> {
        directories(tenant, true);
        return null;
      }, false)
      .compose(v -> vertx.fileSystem().open(tmp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
      .compose(file -> {
        file.setWriteQueueMaxSize(4 * FILE_CHUNK_BYTES);
        DigestingWriter writer = new DigestingWriter(new CoalescingWriter(file, FILE_CHUNK_BYTES), maxBytes);
        Pipe<Buffer> pipe = body.pipe().endOnFailure(false);
        return pipe.to(writer)
          .recover(failed -> file.close().otherwiseEmpty().compose(x -> Future.failedFuture(unwrapped(failed))))
          .compose(done -> worker.executeBlocking(() -> {
            durable(tmp, target);
            return new Written(writer.size(), writer.sha256());
          }, false))
          .recover(failed -> removeQuietly(tmp).compose(x -> Future.failedFuture(failed)));
      })
      .recover(StorageFull::explained);
  }

  @Override
  public Future<Void> readInto(UUID tenant, String blob, long offset, long length, WriteStream<Buffer> to) {
    Path path = blobDir(tenant).resolve(Blobs.checked(blob));
    return worker.executeBlocking(() -> {
        directories(tenant, false);
        regularFile(path);
        return null;
      }, false)
      .compose(v -> vertx.fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false)))
      .compose(file -> {
        file.setReadPos(offset).setReadLength(length).setReadBufferSize(FILE_CHUNK_BYTES);
        return file.pipeTo(to).eventually(file::close);
      });
  }

  /**
   * sendfile(2) through Netty's file region (a chunked copy over TLS): the bytes never pass through the heap or an
   * event loop's buffers. The file is opened without following links, after the same checks as a read, so what is
   * sent is the regular file that was checked.
   */
  @Override
  public Future<Void> send(UUID tenant, String blob, long offset, long length, HttpServerResponse response) {
    Path path = blobDir(tenant).resolve(Blobs.checked(blob));
    return worker.executeBlocking(() -> {
        directories(tenant, false);
        regularFile(path);
        return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      }, false)
      .compose(channel -> response.sendFile(channel, offset, length).eventually(() -> worker.executeBlocking(() -> {
        channel.close();
        return null;
      }, false)));
  }

  @Override
  public Future<Void> copy(UUID tenant, String from, String to) {
    Path source = blobDir(tenant).resolve(Blobs.checked(from));
    Path tmp = tmpDir(tenant).resolve(Blobs.checked(to) + ".part");
    Path target = blobDir(tenant).resolve(to);
    return worker.<Void>executeBlocking(() -> {
      directories(tenant, true);
      regularFile(source);
      try {
        Files.copy(source, tmp, LinkOption.NOFOLLOW_LINKS);
        durable(tmp, target);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      return null;
    }, false).recover(StorageFull::explained);
  }

  @Override
  public Future<Void> delete(UUID tenant, String blob) {
    Path path = blobDir(tenant).resolve(Blobs.checked(blob));
    return worker.executeBlocking(() -> {
      if (directories(tenant, false)) {
        Files.deleteIfExists(path); // removes a link itself, never what it points to
      }
      return null;
    }, false);
  }

  @Override
  public Future<Void> deleteTenant(UUID tenant) {
    Path dir = tenantDir(tenant);
    return worker.executeBlocking(() -> {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        // walk does not follow links: a link inside is removed, not its target
        try (Stream<Path> all = Files.walk(dir)) {
          for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
            Files.deleteIfExists(p);
          }
        }
      }
      return null;
    }, false);
  }

  /** Temporaries older than {@code maxAgeMs}: uploads a crash interrupted (the sweeper's). */
  Future<Integer> removeStaleTemporaries(long maxAgeMs) {
    return worker.executeBlocking(() -> {
      int removed = 0;
      if (!Files.isDirectory(tenants, LinkOption.NOFOLLOW_LINKS)) {
        return 0;
      }
      long cutoff = System.currentTimeMillis() - maxAgeMs;
      try (DirectoryStream<Path> each = Files.newDirectoryStream(tenants)) {
        for (Path tenant : each) {
          Path tmp = tenant.resolve("tmp");
          if (!Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "*.part")) {
            for (Path part : parts) {
              BasicFileAttributes a = Files.readAttributes(part, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
              if (a.lastModifiedTime().toMillis() < cutoff && Files.deleteIfExists(part)) {
                removed++;
              }
            }
          }
        }
      }
      return removed;
    }, false);
  }

  Path tenantDir(UUID tenant) {
    return tenants.resolve(tenant.toString());
  }

  private Path blobDir(UUID tenant) {
    return tenantDir(tenant).resolve("blobs");
  }

  private Path tmpDir(UUID tenant) {
    return tenantDir(tenant).resolve("tmp");
  }

  /**
   * The tenant's directories, each a real directory and not a link (created when {@code create}). Returns false
   * when they do not exist (and were not to be created); throws when something on the way is not a directory.
   */
  private boolean directories(UUID tenant, boolean create) throws IOException {
    Path[] chain = {tenants, tenantDir(tenant), blobDir(tenant), tmpDir(tenant)};
    for (Path dir : chain) {
      if (Files.isSymbolicLink(dir)) {
        throw new IOException("refusing a symbolic link in the storage tree: " + dir);
      }
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        if (!create) {
          return false;
        }
        Files.createDirectories(dir);
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("not a directory in the storage tree: " + dir);
      }
    }
    return true;
  }

  private static void regularFile(Path path) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BlobMissing();
    }
    if (!a.isRegularFile()) {
      throw new IOException("not a regular file in the storage tree: " + path);
    }
  }

  /** The bytes on disk, then the name: after a crash a blob is complete under its name or not there at all. */
  private static void durable(Path tmp, Path target) throws IOException {
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      channel.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private Future<Void> removeQuietly(Path tmp) {
    return worker.<Void>executeBlocking(() -> {
      Files.deleteIfExists(tmp);
      return null;
    }, false).otherwiseEmpty();
  }

  /** A pipe reports a destination's failure wrapped; the quota's refusal is what the caller must see. */
  static Throwable unwrapped(Throwable failure) {
    Throwable t = failure;
    while (t != null) {
      if (t instanceof BlobTooLarge) {
        return t;
      }
      t = t.getCause();
    }
    return failure;
  }
}
