package io.tenantry.pipeline;

import io.tenantry.http.Problem;
import io.tenantry.tenant.TenantRef;
import io.tenantry.tenant.TenantSources;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.util.List;
import java.util.Locale;

/**
 * Which tenants a data-plane request names besides its token: the X-Tenant-ID header, the host (HTTP/1 Host or
 * HTTP/2 :authority — the same source under two names) and the /t/{slug}/ path prefix. Ambiguous requests are
 * refused rather than read "first one wins" (RFC 9112 §3.2): a header sent twice, a Host that differs from the
 * :authority or from the host of an absolute-form request target.
 */
final class TenantNaming {
  static final String TENANT_HEADER = "X-Tenant-ID";

  private final TenantSources sources;

  TenantNaming(TenantSources sources) {
    this.sources = sources;
  }

  /** @throws Problem 400 when the request names its tenant ambiguously */
  List<TenantRef> refs(HttpServerRequest request, String pathSlug) {
    MultiMap headers = request.headers();
    String tenantHeader = single(headers, TENANT_HEADER);
    String hostHeader = single(headers, HttpHeaders.HOST.toString());
    String host = host(request, hostHeader);
    return sources.collect(null, tenantHeader, host, pathSlug);
  }

  private static String single(MultiMap headers, String name) {
    String value = headers.get(name);
    if (value != null) {
      int count = headers.getAll(name).size();
      if (count > 1) {
        throw Problem.badRequest("the " + name + " header is sent " + count + " times; send it once");
      }
    }
    return value;
  }

  private static String host(HttpServerRequest request, String hostHeader) {
    HostAndPort authority = request.authority();
    String name = authority == null ? hostHeader : authority.toString();
    if (hostHeader != null && name != null && !sameHost(hostHeader, name)) {
      throw Problem.badRequest("the Host header (" + hostHeader + ") and the request's authority (" + name
        + ") differ; send one host");
    }
    String target = absoluteFormHost(request.uri());
    if (target != null && name != null && !sameHost(target, name)) {
      throw Problem.badRequest("the request target's host (" + target + ") and the Host header (" + name
        + ") differ; send one host");
    }
    return name;
  }

  /** The authority of an absolute-form request target ({@code http://host/path}), or null for origin form. */
  static String absoluteFormHost(String uri) {
    if (uri == null || uri.startsWith("/")) {
      return null;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return null;
    }
    int start = scheme + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    String authority = uri.substring(start, end);
    int at = authority.lastIndexOf('@');
    return at >= 0 ? authority.substring(at + 1) : authority;
  }

  private static boolean sameHost(String a, String b) {
    return stripDefault(a).equals(stripDefault(b));
  }

  private static String stripDefault(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(":80") ? h.substring(0, h.length() - 3) : h;
  }
}
