package io.tenantry.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own, on its own port, that the test may stop, restart and stall without touching
 * the machine's Redis: {@code redis-server --port <port> --save '' --appendonly no --daemonize no}, with DEBUG
 * allowed from localhost. {@link #close()} kills it.
 */
public final class RedisProcess implements AutoCloseable {
  private final int port = TestServer.freePort();
  private final Path dir;
  private Process process;

  private RedisProcess() {
    try {
      dir = Files.createTempDirectory("tenantry-redis-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RedisProcess start() {
    RedisProcess redis = new RedisProcess();
    redis.startAgain();
    return redis;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again, on the same port) and waits until it answers PING. */
  public void startAgain() {
    try {
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "local",
        "--dir", dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (is it on the PATH?)", e);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!"+PONG".equals(command("PING"))) {
      if (Instant.now().isAfter(deadline) || !process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " did not come up");
      }
      Thread.onSpinWait();
    }
  }

  /** Kills the server, as a crash would, and waits until it is gone. */
  public void stop() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Sends one command over a fresh connection and returns the first line of the reply (null if unreachable). */
  public String command(String... args) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return readLine(socket.getInputStream());
    } catch (IOException e) {
      return null;
    }
  }

  /** Blocks the server for {@code seconds} (DEBUG SLEEP) without blocking the caller. */
  public Thread stall(double seconds) {
    Thread thread = new Thread(() -> command("DEBUG", "SLEEP", Double.toString(seconds)), "redis-stall");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\r') {
      line.append((char) c);
    }
    return line.toString();
  }

  @Override
  public void close() {
    stop();
  }
}
