package io.tenantry.cli;

/** The tenants CLI's exit codes (docs/tenants.md#the-tenants-cli). */
final class ExitCodes {
  /** Done, or nothing needed doing. */
  static final int OK = 0;
  /** The server refused or could not be reached (bad credentials too), or a change failed or is not supported. */
  static final int FAILED = 1;
  /** Bad command line or file; nothing was changed. */
  static final int USAGE = 2;
  /** {@code apply --dry-run} only: there are changes to make (none of them known to fail). */
  static final int CHANGES_PENDING = 3;

  private ExitCodes() {
  }
}
