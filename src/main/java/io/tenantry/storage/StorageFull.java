package io.tenantry.storage;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The volume holding the local blob store is full (ENOSPC, or the user's disk quota: EDQUOT). The write is undone
 * and the client told so with a 507, which a retry alone will not cure; the operator is told in the log, once per
 * refused write, since space has to be made or added.
 */
final class StorageFull {
  private static final Logger LOG = LoggerFactory.getLogger(StorageFull.class);

  private StorageFull() {
  }

  /** {@code failure} as the 507 when the disk was full, otherwise unchanged. */
  static <T> Future<T> explained(Throwable failure) {
    if (!noSpace(failure)) {
      return Future.failedFuture(failure);
    }
    LOG.error("the file store's volume is full: a write was refused ({}); free or add space", failure.getMessage());
    return Future.failedFuture(Problem.of(507, "storage-full", "Storage full",
      "the server's file store has no space left: the file was not stored and nothing else changed; retry once an "
        + "operator has made space"));
  }

  /** The operating system's own words for ENOSPC and EDQUOT, in any cause (Vert.x wraps them). */
  static boolean noSpace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage();
      if (t instanceof IOException && message != null
        && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }
}
