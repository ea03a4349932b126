package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A write stream in front of a blob's destination that counts and hashes (SHA-256) what passes, and refuses the
 * write that would take it beyond {@code maxBytes} ({@link BlobTooLarge}): the pipe feeding it then stops, so an
 * over-quota upload is cut off as soon as it crosses the quota, not at its end. Back-pressure is the destination's.
 */
final class DigestingWriter implements WriteStream<Buffer> {
  private final WriteStream<Buffer> out;
  private final long maxBytes;
  private final MessageDigest sha256;
  private long size;

  DigestingWriter(WriteStream<Buffer> out, long maxBytes) {
    this.out = out;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  long size() {
    return size;
  }

  String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  @Override
  public Future<Void> write(Buffer data) {
    size += data.length();
    if (size > maxBytes) {
      return Future.failedFuture(new BlobTooLarge());
    }
    sha256.update(data.getBytes());
    return out.write(data);
  }

  @Override
  public Future<Void> end() {
    return out.end();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    out.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    out.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return out.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    out.drainHandler(handler);
    return this;
  }
}
