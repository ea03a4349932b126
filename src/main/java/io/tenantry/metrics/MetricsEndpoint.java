package io.tenantry.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantry.config.Config;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * GET /metrics, the Prometheus text exposition of this node's registry. Never public: a super-admin's token always
 * works (the route's own check, after the gate authenticated it); besides that, and only when configured, a
 * scraper sending metrics.scrape-token as its bearer token, or a client from an address in metrics.allow-from.
 * Those two are admitted by {@link #trusted}, a root handler ahead of the gate (which would refuse the scrape
 * token, not being a JWT); anything else goes on to the gate: no token 401, a wrong token 401, a token that is not a
 * super-admin's 403.
 */
public final class MetricsEndpoint {
  public static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final WorkerExecutor scrapes;
  private final byte[] scrapeToken;
  private final java.util.Set<String> allowFrom;

  MetricsEndpoint(PrometheusMeterRegistry registry, WorkerExecutor scrapes, Config.MetricsSettings settings) {
    this.registry = registry;
    this.scrapes = scrapes;
    this.scrapeToken = settings.scrapeToken().isEmpty() ? null : ("Bearer " + settings.scrapeToken()).getBytes(StandardCharsets.UTF_8);
    this.allowFrom = settings.allowFrom();
  }

  /** Root handler: serves a scrape with the scrape token or from an allowed address; passes everything else on. */
  public void trusted(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.GET && PATH.equals(ctx.normalizedPath()) && trustedScraper(ctx)) {
      scrape(ctx);
    } else {
      ctx.next();
    }
  }

  private boolean trustedScraper(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      // constant-time: the token must not be guessable by timing
      return scrapeToken != null && MessageDigest.isEqual(scrapeToken, authorization.getBytes(StandardCharsets.UTF_8));
    }
    SocketAddress remote = ctx.request().remoteAddress();
    return remote != null && remote.hostAddress() != null && allowFrom.contains(remote.hostAddress());
  }

  /** The route's handler (after Access::superAdmin), and the trusted scraper's. */
  public void scrape(RoutingContext ctx) {
    scrapes.executeBlocking(registry::scrape, false).onComplete(text -> {
      if (text.failed()) {
        ctx.fail(text.cause());
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(text.result());
      }
    });
  }
}
