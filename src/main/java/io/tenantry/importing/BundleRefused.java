package io.tenantry.importing;

import io.tenantry.http.Problem;

/** Why a bundle is refused before anything is written: a 422 problem whose detail names what is wrong. */
final class BundleRefused {
  private BundleRefused() {
  }

  static Problem because(String detail) {
    return Problem.of(422, "invalid-bundle", "Invalid bundle", "bundle refused, nothing was written: " + detail);
  }
}
