package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The write side of an S3 multipart upload, for a body whose length is unknown (or beyond a single PUT's 5 GiB): the
 * bytes gather into a part of {@code partSize}, which is uploaded while the next one gathers; the queue is full (the
 * pipe pauses the client) while a gathered part waits for the one in flight. So at most two parts are in memory,
 * never the file. {@link #end()} uploads the last part and completes the upload; on any failure the caller aborts it.
 */
final class MultipartWriter implements WriteStream<Buffer> {
  private final S3Client s3;
  private final String key;
  private final String uploadId;
  private final int partSize;
  private final List<String> etags = new ArrayList<>();
  private Buffer gathering = Buffer.buffer();
  private Future<Void> inFlight = Future.succeededFuture();
  private boolean uploading;
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  MultipartWriter(S3Client s3, String key, String uploadId, int partSize) {
    this.s3 = s3;
    this.key = key;
    this.uploadId = uploadId;
    this.partSize = partSize;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    gathering.appendBuffer(data);
    if (gathering.length() >= partSize && !uploading) {
      uploadGathered();
    }
    return Future.succeededFuture();
  }

  private void uploadGathered() {
    uploading = true;
    Buffer part = gathering;
    gathering = Buffer.buffer();
    inFlight = uploadPart(part).onComplete(done -> {
      uploading = false;
      if (done.failed()) {
        failure = done.cause();
        if (exceptionHandler != null) {
          exceptionHandler.handle(failure);
        }
      }
      if (failure == null && gathering.length() >= partSize) {
        uploadGathered();
      } else if (drainHandler != null) { // after a failure too: the pipe resumes, and its next write fails
        Handler<Void> drain = drainHandler;
        drainHandler = null;
        drain.handle(null);
      }
    });
  }

  private Future<Void> uploadPart(Buffer part) {
    int number = etags.size() + 1;
    etags.add(null);
    return s3.call(HttpMethod.PUT, key, Map.of("partNumber", Integer.toString(number), "uploadId", uploadId), Map.of(), part)
      .map(answer -> {
        String etag = answer.headers().get("ETag");
        if (etag == null) {
          throw new IllegalStateException("the S3 store gave no ETag for part " + number);
        }
        etags.set(number - 1, etag);
        return null;
      });
  }

  @Override
  public Future<Void> end() {
    return settled()
      .compose(v -> gathering.length() > 0 || etags.isEmpty() ? uploadPart(gathering) : Future.<Void>succeededFuture())
      .compose(v -> s3.call(HttpMethod.POST, key, Map.of("uploadId", uploadId), Map.of(), Buffer.buffer(completion())))
      .mapEmpty();
  }

  /** Once no part is in flight (the one in flight may start the next: it is waited for too). */
  private Future<Void> settled() {
    return inFlight.transform(ar -> {
      if (failure != null) {
        return Future.<Void>failedFuture(failure);
      }
      return uploading ? settled() : Future.<Void>succeededFuture();
    });
  }

  private String completion() {
    StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
    for (int i = 0; i < etags.size(); i++) {
      xml.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>")
        .append(etags.get(i).replace("&", "&amp;").replace("\"", "&quot;")).append("</ETag></Part>");
    }
    return xml.append("</CompleteMultipartUpload>").toString();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this; // the part size is the queue
  }

  @Override
  public boolean writeQueueFull() {
    return uploading && gathering.length() >= partSize;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
