package io.tenantry.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limiter's own Redis client, which it can replace. The Vert.x client does not recover by itself in
 * every case (connections that died under the pool, or a connection stuck behind a stalled server keep failing
 * or waiting), so {@link #reconnect()} swaps in a fresh client and closes the old one, which also fails whatever
 * was still waiting on it. The circuit breaker calls it every time it opens, so each probe after an outage runs
 * on new connections.
 */
public final class RedisLink {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  private final Vertx vertx;
  private final RedisOptions options;
  private volatile Redis client;
  private volatile RedisAPI api;

  public RedisLink(Vertx vertx, RedisOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.client = Redis.createClient(vertx, options);
    this.api = RedisAPI.api(client);
  }

  public RedisAPI api() {
    return api;
  }

  public synchronized void reconnect() {
    Redis old = client;
    client = Redis.createClient(vertx, options);
    api = RedisAPI.api(client);
    old.close().onFailure(e -> LOG.debug("closing the previous Redis client failed", e));
    LOG.debug("rate limiter: new Redis client");
  }

  public Future<Void> close() {
    return client.close();
  }
}
