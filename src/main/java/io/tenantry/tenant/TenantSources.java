package io.tenantry.tenant;

import io.tenantry.http.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Pure logic: which tenant references a request carries, in order of trust — the verified token's tenant claim,
 * the X-Tenant-ID header (slug or id), the host's subdomain under a base domain, the /t/{slug}/ path prefix.
 * Nothing here touches the database; {@link TenantResolution} looks the references up and checks they agree.
 */
public final class TenantSources {
  private static final Pattern UUID_TEXT =
    Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** ".<base domain>" for each accepted base domain, made once rather than per request. */
  private final List<String> suffixes;
  private final HostTenants customDomains;

  /** @param baseDomain the configured base domain; "localhost" is always accepted too */
  public TenantSources(String baseDomain) {
    this(baseDomain, HostTenants.NONE);
  }

  /** @param customDomains hosts outside the base domain that name a tenant (docs/tenants.md#custom-domains) */
  public TenantSources(String baseDomain, HostTenants customDomains) {
    this.customDomains = customDomains;
    this.suffixes = baseDomain.equals("localhost") ? List.of(".localhost") : List.of("." + baseDomain, ".localhost");
  }

  public List<TenantRef> collect(UUID tokenTenant, String header, String host, String pathSlug) {
    List<TenantRef> refs = new ArrayList<>(4);
    if (tokenTenant != null) {
      refs.add(TenantRef.ofId(TenantRef.Source.TOKEN, tokenTenant));
    }
    if (header != null) {
      refs.add(fromHeader(stripOptionalWhitespace(header)));
    }
    String hostSlug = hostSlug(host);
    if (hostSlug != null) {
      refs.add(TenantRef.ofSlug(TenantRef.Source.HOST, hostSlug));
    } else if (host != null) {
      UUID mapped = customDomains.tenantOf(hostName(host));
      if (mapped != null) {
        refs.add(TenantRef.ofId(TenantRef.Source.HOST, mapped));
      }
    }
    if (pathSlug != null) {
      refs.add(TenantRef.ofSlug(TenantRef.Source.PATH, pathSlug));
    }
    return refs;
  }

  /**
   * Only HTTP's optional whitespace (space, tab): String.trim() would also drop control characters, letting
   * "slug\u0001" (a mangled "slug\u0301") resolve as "slug".
   */
  static String stripOptionalWhitespace(String value) {
    int start = 0;
    int end = value.length();
    while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
      end--;
    }
    return value.substring(start, end);
  }

  private static TenantRef fromHeader(String value) {
    if (value.isEmpty()) {
      throw Problem.badRequest("X-Tenant-ID is empty");
    }
    if (UUID_TEXT.matcher(value).matches()) {
      return TenantRef.ofId(TenantRef.Source.HEADER, UUID.fromString(value));
    }
    return TenantRef.ofSlug(TenantRef.Source.HEADER, value);
  }

  /** The host without port or trailing dot, lower-case: the spelling custom domains are stored in. */
  static String hostName(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    int colon = name.lastIndexOf(':');
    if (colon >= 0 && !name.startsWith("[")) {
      name = name.substring(0, colon);
    }
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return name;
  }

  /** The tenant label of {@code slug.base-domain[:port]}, or null when the host names no tenant. */
  String hostSlug(String host) {
    if (host == null || host.isEmpty() || host.startsWith("[")) {
      return null;
    }
    String name = hostName(host);
    for (String suffix : suffixes) {
      if (name.endsWith(suffix)) {
        String label = name.substring(0, name.length() - suffix.length());
        if (label.isEmpty() || label.contains(".")) {
          throw Problem.badRequest("the host " + host + " does not name a single tenant");
        }
        return label;
      }
    }
    return null;
  }
}
