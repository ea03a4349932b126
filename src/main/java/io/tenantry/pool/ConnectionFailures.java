package io.tenantry.pool;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Which failures mean "the PostgreSQL server is not there" (refused, reset, closed, shutting down, starting up, a
 * class 08 connection exception) rather than "this request's statement failed". They decide what the client is told
 * (503 with Retry-After, not 500) and what a server's circuit breaker counts: a unique violation or a statement
 * timeout proves the server is up.
 */
public final class ConnectionFailures {
  /** admin_shutdown, crash_shutdown, cannot_connect_now, and class 08 (connection exception). */
  private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");

  private ConnectionFailures() {
  }

  /** The server could not be reached, went away, or refused connections while starting or stopping. */
  public static boolean serverUnreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof ClosedConnectionException || network(t) || closedBeforeSent(t)) {
        return true;
      }
      if (t instanceof PgException pg && pg.getSqlState() != null
        && (SERVER_GONE.contains(pg.getSqlState()) || pg.getSqlState().startsWith("08"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The connection was lost with a statement in flight and no answer from the server: whether a write committed is
   * unknown. A refused connection (nothing was sent) or an error the server sent (it aborted the statement) is not.
   */
  public static boolean outcomeUnknown(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof PgException || closedBeforeSent(t)) {
        return false;
      }
      if (t instanceof ClosedConnectionException || network(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An I/O failure of the connection itself (reset, broken pipe, closed channel; Netty's native ones), not any
   * IOException: Jackson's parse and encode errors and a full disk are IOExceptions too, and they say nothing about
   * the database server.
   */
  private static boolean network(Throwable t) {
    return t instanceof SocketException || t instanceof ClosedChannelException
      || (t instanceof IOException && t.getClass().getName().startsWith("io.netty."));
  }

  /**
   * A statement given to a connection that had already closed (the pool handed it out as it went away): the client
   * refused it without sending it. Vert.x says so only in the message of a plain VertxException
   * (SocketConnectionBase.schedule); ConnectionFailuresTest takes one from the real driver, so an upgrade that
   * rewords it fails there.
   */
  private static boolean closedBeforeSent(Throwable t) {
    return t instanceof VertxException && t.getMessage() != null
      && t.getMessage().startsWith("Connection is not active now");
  }

  /** Waiting for a pooled connection ran out (the pool's acquire timeout): busy or unreachable, either way retryable. */
  public static boolean acquireTimeout(Throwable failure) {
    return failure instanceof java.util.concurrent.TimeoutException
      || failure.getClass().getSimpleName().contains("Timeout");
  }
}
