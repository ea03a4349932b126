package io.tenantry.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run with EVALSHA, so each call sends the script's 40-character digest rather than its text. Redis
 * answers NOSCRIPT when it does not hold the script (a restart, a failover, SCRIPT FLUSH); the script is then
 * loaded once and the call repeated.
 */
public final class RedisScript {
  private final String source;
  private final String sha;

  RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** Reads a script from the classpath (asynchronously). */
  public static Future<RedisScript> load(Vertx vertx, String resource) {
    return vertx.fileSystem().readFile(resource).map(buffer -> new RedisScript(buffer.toString(StandardCharsets.UTF_8)));
  }

  public String sha() {
    return sha;
  }

  /** Loads the script into Redis ahead of the first call (which also opens a connection). */
  public Future<Void> preload(RedisAPI redis, Runnable calls) {
    calls.run();
    return redis.script(List.of("LOAD", source)).mapEmpty();
  }

  /** @param calls counts every command sent to Redis */
  public Future<Response> run(RedisAPI redis, List<String> keys, List<String> args, Runnable calls) {
    List<String> command = new ArrayList<>(2 + keys.size() + args.size());
    command.add(sha);
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    calls.run();
    return redis.evalsha(command).recover(e -> {
      if (!isNoScript(e)) {
        return Future.failedFuture(e);
      }
      calls.run();
      calls.run();
      return redis.script(List.of("LOAD", source)).compose(loaded -> redis.evalsha(command));
    });
  }

  static boolean isNoScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
  }
}
