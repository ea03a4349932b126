package io.tenantry.pool;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * One pool per event loop, each used only from its own loop: the layout of the fastest Vert.x servers. A pooled
 * connection lives on the event loop that opened it; a request on the other loop that gets it pays two thread
 * hand-offs per statement (the command goes to the connection's loop, the result comes back) and a wake-up of the
 * other loop's selector. Here every HTTP verticle {@link #claim}s a pool for its event loop at start, and every
 * caller on that loop uses it; its connections were all opened from that loop (Vert.x opens a connection on the
 * loop of the caller that needed it), so a statement and its answer never leave the request's thread. Callers on
 * any other thread (start-up, timers, workers, loops without an HTTP verticle) share one more pool of a single
 * connection, so their connections never land in a request loop's pool — also with a single HTTP loop (a server
 * confined to one core), where the background work runs on the other event loops of the same Vert.x. The pools split {@code db.pool-size}
 * between them (the background pool takes one connection when there are more connections than loops); each is at
 * least one connection.
 */
public final class LoopAffinePool implements Pool {
  private final List<Pool> pools;
  private final Pool background;
  private final int smallestShare;
  private final Map<EventLoop, Pool> byLoop = new ConcurrentHashMap<>();

  /** Pools made by {@code build(size)}: one per loop and one for background work, {@code totalSize} connections in all. */
  public LoopAffinePool(int loops, int totalSize, IntFunction<Pool> build) {
    boolean separateBackground = totalSize > loops;
    int forLoops = separateBackground ? totalSize - 1 : totalSize;
    int n = Math.max(1, Math.min(loops, forLoops));
    List<Pool> made = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      made.add(build.apply(forLoops / n + (i < forLoops % n ? 1 : 0)));
    }
    this.pools = List.copyOf(made);
    this.smallestShare = forLoops / n;
    this.background = separateBackground ? build.apply(1) : pools.get(0);
  }

  /**
   * Gives the calling event loop a pool of its own while unclaimed pools are left (HTTP verticles call this in
   * their start, on their loop); idempotent per loop. Returns false off an event loop or when none is left.
   */
  public synchronized boolean claim() {
    EventLoop loop = callersLoop();
    if (loop == null) {
      return false;
    }
    if (byLoop.containsKey(loop)) {
      return true;
    }
    if (byLoop.size() >= pools.size()) {
      return false;
    }
    byLoop.put(loop, pools.get(byLoop.size()));
    return true;
  }

  /** The pool of the caller's event loop, or the background pool. */
  Pool current() {
    if (pools.size() == 1 && background == pools.get(0)) {
      return background;
    }
    EventLoop loop = callersLoop();
    Pool pool = loop == null ? null : byLoop.get(loop);
    return pool != null ? pool : background;
  }

  private static EventLoop callersLoop() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal && context.isEventLoopContext() ? internal.nettyEventLoop() : null;
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return current().getConnection();
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return current().query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return current().preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return current().preparedQuery(sql, options);
  }

  /** Connections open in all the pools. */
  @Override
  public int size() {
    int size = background == pools.get(0) ? 0 : background.size();
    for (Pool pool : pools) {
      size += pool.size();
    }
    return size;
  }

  /** Connections of the smallest event-loop pool: all a request on that loop can ever use at once. */
  public int smallestShare() {
    return smallestShare;
  }

  int pools() {
    return pools.size();
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>(pools.stream().map(Pool::close).toList());
    if (background != pools.get(0)) {
      closing.add(background.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
