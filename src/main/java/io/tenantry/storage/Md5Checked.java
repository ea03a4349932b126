package io.tenantry.storage;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An upload's body as it passes, hashed with MD5 for a request that sent Content-MD5 (RFC 1864: base64 of the 16-byte
 * digest). Only such a request pays for the second digest; flow control is the source's.
 */
final class Md5Checked implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final MessageDigest md5;

  Md5Checked(ReadStream<Buffer> source) {
    this.source = source;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest of everything that passed, as Content-MD5 writes it; call once, after the end. */
  String base64() {
    return Base64.getEncoder().encodeToString(md5.digest());
  }

  /** The header's value, checked for form: base64 of exactly 16 bytes; null when the header is absent. */
  static String expected(String header) {
    if (header == null) {
      return null;
    }
    String v = header.strip();
    try {
      if (v.length() == 24 && Base64.getDecoder().decode(v).length == 16) {
        return v;
      }
    } catch (IllegalArgumentException ignored) {
      // the problem below
    }
    throw io.tenantry.http.Problem.badRequest("Content-MD5 must be the base64 of the body's 16-byte MD5 digest (24 characters)");
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : data -> {
      md5.update(data.getBytes());
      handler.handle(data);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
