package io.tenantry.portal;

import io.vertx.ext.web.RoutingContext;

/**
 * The security headers of every portal response. The policy allows scripts, styles, images and API calls from this
 * origin only: no inline script, no style attributes in markup (the portal sets styles through the CSSOM, which a
 * policy does not govern), no plugins, no framing (frame-ancestors and, for old browsers, X-Frame-Options), no base
 * URL or form target elsewhere. With the token sent as a bearer header, not a cookie, there is nothing to forge
 * cross-site.
 */
final class PortalHeaders {
  static final String CSP = String.join("; ",
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'");

  private PortalHeaders() {
  }

  static void handle(RoutingContext ctx) {
    ctx.response()
      .putHeader("Content-Security-Policy", CSP)
      .putHeader("X-Frame-Options", "DENY")
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer")
      .putHeader("Cross-Origin-Opener-Policy", "same-origin");
    ctx.next();
  }
}
