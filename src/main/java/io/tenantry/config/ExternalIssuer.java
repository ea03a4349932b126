package io.tenantry.config;

import java.util.List;
import java.util.Map;

/**
 * One entry of auth.external-issuers: an identity provider whose tokens Tenantry accepts. Exactly one of
 * {@code jwksFile} and {@code jwksUrl} is set; {@code audience} is null when not checked; {@code tenants} lists the
 * tenants (slugs or ids) its tokens may name, or holds "*" for any; {@code roleMapping} maps the provider's role names
 * to Tenantry tenant roles.
 */
public record ExternalIssuer(String issuer, String jwksFile, String jwksUrl, String audience, String tenantClaim,
                             String rolesClaim, Map<String, String> roleMapping, List<String> tenants,
                             int refreshSeconds, int minRefetchSeconds) {
  public static final String ANY_TENANT = "*";

  public ExternalIssuer {
    roleMapping = Map.copyOf(roleMapping);
    tenants = List.copyOf(tenants);
  }

  public boolean anyTenant() {
    return tenants.contains(ANY_TENANT);
  }
}
