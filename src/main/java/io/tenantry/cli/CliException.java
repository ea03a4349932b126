package io.tenantry.cli;

/** Ends a command with a message for the person at the terminal and the process's exit code. */
final class CliException extends RuntimeException {
  final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  static CliException failed(String message) {
    return new CliException(ExitCodes.FAILED, message);
  }
}
