package io.tenantry.domains;

import io.tenantry.http.Problem;

import java.util.regex.Pattern;

/**
 * Pure rules for a custom domain's host name: lower-case ASCII (internationalized names in their punycode "xn--"
 * form), labels of 1-63 letters, digits and inner hyphens, at most 253 characters, at least two labels, no port,
 * and not the base domain or under it (those hosts already name tenants by slug).
 */
final class DomainNames {
  static final int MAX_LENGTH = 253;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final String baseDomain;

  DomainNames(String baseDomain) {
    this.baseDomain = baseDomain;
  }

  /** @throws Problem 400 saying what a host name may be */
  String check(String host) {
    if (host == null || host.isEmpty() || host.length() > MAX_LENGTH) {
      throw Problem.badRequest("a custom domain is 1 to " + MAX_LENGTH + " characters");
    }
    if (host.indexOf(':') >= 0) {
      throw Problem.badRequest("a custom domain has no port: send the host name only");
    }
    String[] labels = host.split("\\.", -1);
    if (labels.length < 2) {
      throw Problem.badRequest("a custom domain has at least two labels (example.com)");
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw Problem.badRequest("each label of a custom domain is 1-63 lower-case ASCII letters, digits or inner "
          + "hyphens (internationalized names in punycode, xn--...)");
      }
    }
    if (host.equals(baseDomain) || host.endsWith("." + baseDomain) || host.equals("localhost")
        || host.endsWith(".localhost")) {
      throw Problem.badRequest("hosts under the base domain " + baseDomain + " already name tenants by slug");
    }
    return host;
  }
}
