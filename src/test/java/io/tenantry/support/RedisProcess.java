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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
      List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()));
      if (majorVersion() >= 7) {
        command.addAll(List.of("--enable-debug-command", "local")); // DEBUG is off by default from Redis 7 on
      }
      process = new ProcessBuilder(command)
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

  /** "Redis server v=7.0.15 sha=..." -> 7. */
  private static int majorVersion() {
    try {
      Process version = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      version.waitFor(10, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("v=(\\d+)\\.").matcher(text);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-server (is it on the PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
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
