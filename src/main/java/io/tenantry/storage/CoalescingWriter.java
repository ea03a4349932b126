package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Gathers a request body's small chunks (the HTTP server hands over a few KiB at a time) into writes of at least
 * {@code chunkBytes} to a file: each file write is a hand-off to a worker thread, so a 2 GiB upload costs thousands
 * of them instead of hundreds of thousands. At most one chunk waits here; back-pressure is the file's.
 */
final class CoalescingWriter extends ForwardingWriter {
  private final int chunkBytes;
  private Buffer pending;

  CoalescingWriter(WriteStream<Buffer> out, int chunkBytes) {
    super(out);
    this.chunkBytes = chunkBytes;
    this.pending = Buffer.buffer(chunkBytes);
  }

  @Override
  public Future<Void> write(Buffer data) {
    pending.appendBuffer(data);
    if (pending.length() < chunkBytes) {
      return Future.succeededFuture();
    }
    Buffer full = pending;
    pending = Buffer.buffer(chunkBytes);
    return out.write(full);
  }

  @Override
  public Future<Void> end() {
    Buffer last = pending;
    pending = Buffer.buffer(0);
    return last.length() == 0 ? out.end() : out.write(last).compose(v -> out.end());
  }
}
