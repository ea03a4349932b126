package io.tenantry.pipeline;

import java.util.Set;

/**
 * The paths a client may call without a token: health, the API document and the ways to get a token. Every other
 * request without one is refused on its headers, before its body is read. openapi.yaml marks the same operations
 * with {@code security: []} (a test holds the two together).
 */
public final class PublicPaths {
  public static final Set<String> PATHS = Set.of(
    "/health/live",
    "/health/ready",
    "/openapi.yaml",
    "/auth/token",
    "/auth/invitations/accept",
    "/auth/password-reset",
    "/auth/password-reset/confirm");

  private PublicPaths() {
  }

  static boolean isPublic(String normalizedPath) {
    return PATHS.contains(normalizedPath);
  }
}
