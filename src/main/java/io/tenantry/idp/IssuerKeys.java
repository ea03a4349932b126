package io.tenantry.idp;

import io.tenantry.config.ExternalIssuer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's current keys, kept fresh: reloaded every refresh-seconds (a URL) or when the file changes (polled every
 * second, asynchronously), and on a token with an unknown {@code kid} — at most once per min-refetch-seconds, so a
 * flood of tokens with made-up kids costs the provider one request per interval, not one per token. Concurrent
 * reloads share one request. A failed reload keeps the keys it had.
 */
final class IssuerKeys {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
  private static final long FILE_POLL_MS = 1000;

  private final Vertx vertx;
  private final ExternalIssuer settings;
  private final JwksSource source;
  private final JWTOptions checks;
  private volatile KeySet current;
  private long lastLoadMillis;
  private Future<KeySet> loading;
  private String version;
  private long timer = -1;

  IssuerKeys(Vertx vertx, ExternalIssuer settings, JwksSource source, JWTOptions checks) {
    this.vertx = vertx;
    this.settings = settings;
    this.source = source;
    this.checks = checks;
    this.current = KeySet.empty(vertx, checks);
  }

  ExternalIssuer settings() {
    return settings;
  }

  KeySet current() {
    return current;
  }

  /**
   * Loads the keys once and starts keeping them fresh. A file that cannot be loaded fails the start (a configuration
   * error); a URL that cannot be fetched is logged and retried: the provider may be down while Tenantry starts.
   */
  Future<Void> start() {
    boolean file = settings.jwksUrl().isEmpty();
    Future<Void> first = (file ? source.version().onSuccess(v -> version = v).mapEmpty() : Future.<Void>succeededFuture())
      .compose(v -> reload())
      .mapEmpty();
    if (file) {
      timer = vertx.setPeriodic(FILE_POLL_MS, id -> reloadIfChanged());
      return first.recover(e -> Future.failedFuture(new IllegalStateException("auth.external-issuers: cannot load "
        + settings.jwksFile() + " for " + settings.issuer() + ": " + e.getMessage())));
    }
    timer = vertx.setPeriodic(settings.refreshSeconds() * 1000L, id -> reload());
    return first.otherwiseEmpty().mapEmpty();
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The keys after a reload for a kid not in the current ones, or the current ones when one was done too recently. */
  Future<KeySet> afterUnknownKid() {
    synchronized (this) {
      if (loading == null && System.currentTimeMillis() - lastLoadMillis < settings.minRefetchSeconds() * 1000L) {
        return Future.succeededFuture(current);
      }
    }
    return reload().otherwise(e -> current);
  }

  private void reloadIfChanged() {
    source.version().onSuccess(v -> {
      if (v != null && !v.equals(version)) {
        version = v;
        reload();
      }
    });
  }

  private Future<KeySet> reload() {
    Future<KeySet> started;
    synchronized (this) {
      if (loading != null) {
        return loading;
      }
      lastLoadMillis = System.currentTimeMillis();
      loading = started = source.load().map(jwks -> KeySet.of(vertx, jwks, checks));
    }
    return started.andThen(done -> {
      synchronized (this) {
        loading = null;
      }
      if (done.succeeded()) {
        current = done.result();
        LOG.info("loaded {} key(s) of external issuer {}", done.result().size(), settings.issuer());
      } else {
        LOG.warn("cannot load the keys of external issuer {}: {}", settings.issuer(), done.cause().getMessage());
      }
    });
  }
}
