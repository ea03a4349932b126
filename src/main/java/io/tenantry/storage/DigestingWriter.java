package io.tenantry.storage;

import io.vertx.core.Future;
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
final class DigestingWriter extends ForwardingWriter {
  private final long maxBytes;
  private final MessageDigest sha256;
  private long size;

  DigestingWriter(WriteStream<Buffer> out, long maxBytes) {
    super(out);
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
}
