package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.UUID;

/**
 * Where a tenant's file bytes live, under names the server makes ({@link Blobs#newName()}): never a user path. Every
 * operation is scoped by the tenant id, which is the first component of the blob's location in any backend, so a
 * blob name alone can never reach another tenant's bytes. Non-blocking: each method returns at once.
 */
public interface BlobStore {
  /**
   * Streams {@code body} into a new blob, hashing it on the way, durable when the future succeeds. Fails with
   * {@link BlobTooLarge} as soon as more than {@code maxBytes} arrive, and whenever it fails it leaves no blob behind
   * (a crash mid-way leaves at most a temporary the sweeper finds).
   *
   * @param length the announced length (Content-Length), or -1 when unknown
   */
  Future<Written> write(UUID tenant, String blob, ReadStream<Buffer> body, long length, long maxBytes);

  /** Streams {@code length} bytes from {@code offset} of the blob into {@code to}, and ends it. */
  Future<Void> readInto(UUID tenant, String blob, long offset, long length, WriteStream<Buffer> to);

  /**
   * Sends {@code length} bytes from {@code offset} of the blob as the response's body (its head set by the caller) and
   * ends it. A store whose bytes are a local file leaves the copy to the kernel; the others stream through
   * {@link #readInto}.
   */
  default Future<Void> send(UUID tenant, String blob, long offset, long length, HttpServerResponse response) {
    return readInto(tenant, blob, offset, length, response);
  }

  /** A new blob with the bytes of another of the same tenant's. */
  Future<Void> copy(UUID tenant, String from, String to);

  /** Removes the blob; one that does not exist is not an error. */
  Future<Void> delete(UUID tenant, String blob);

  /** Removes every blob of the tenant (tenant purge). */
  Future<Void> deleteTenant(UUID tenant);

  /** What a write stored. */
  record Written(long size, String sha256) {
  }
}
