package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.WriteStream;

import java.util.Map;

/**
 * A small upload gathered in memory and sent as one signed PUT when it ends: unlike a PUT whose body streams from
 * the client's request, it can be sent again when the store fails ({@link S3Client#call} retries). For uploads of at
 * most {@link S3Client#SIGNED_BODY_MAX} bytes, so what one holds in memory is bounded.
 */
final class BufferedPut implements WriteStream<Buffer> {
  private final S3Client s3;
  private final String key;
  private final Buffer body;

  BufferedPut(S3Client s3, String key, int expectedBytes) {
    this.s3 = s3;
    this.key = key;
    this.body = Buffer.buffer(expectedBytes);
  }

  @Override
  public Future<Void> write(Buffer data) {
    body.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    // the client's body is all here: what fails now is the store's, after the retries
    return s3.call(HttpMethod.PUT, key, Map.of(), Map.of(), body).<Void>mapEmpty()
      .recover(failed -> Future.failedFuture(S3Client.forClient(failed)));
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this; // nothing fails before end()
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
