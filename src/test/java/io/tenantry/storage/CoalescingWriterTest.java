package io.tenantry.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescingWriterTest {
  /** Records what reaches it. */
  private static final class Sink implements WriteStream<Buffer> {
    final List<Buffer> writes = new ArrayList<>();
    boolean ended;

    @Override
    public Future<Void> write(Buffer data) {
      writes.add(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      ended = true;
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
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

  @Test
  void smallChunksReachTheFileInWritesOfAtLeastTheChunkSizeAndInOrder() {
    Sink sink = new Sink();
    CoalescingWriter writer = new CoalescingWriter(sink, 100);
    Buffer sent = Buffer.buffer();
    for (int i = 0; i < 37; i++) {
      Buffer chunk = Buffer.buffer(("chunk-" + i + ";").repeat(3));
      sent.appendBuffer(chunk);
      assertThat(writer.write(chunk).succeeded()).isTrue();
    }
    writer.end();
    assertThat(sink.ended).isTrue();
    Buffer received = Buffer.buffer();
    for (int i = 0; i < sink.writes.size(); i++) {
      received.appendBuffer(sink.writes.get(i));
      if (i < sink.writes.size() - 1) {
        assertThat(sink.writes.get(i).length()).isGreaterThanOrEqualTo(100);
      }
    }
    assertThat(received).isEqualTo(sent);
    assertThat(sink.writes.size()).isLessThan(37 / 3);
  }

  @Test
  void anEmptyBodyOnlyEnds() {
    Sink sink = new Sink();
    new CoalescingWriter(sink, 100).end();
    assertThat(sink.writes).isEmpty();
    assertThat(sink.ended).isTrue();
  }
}
