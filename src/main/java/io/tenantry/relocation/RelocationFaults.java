package io.tenantry.relocation;

/**
 * For tests only: when the JVM runs with {@value #PAUSE_PROPERTY}={@code <phase>}, every move stops for good as it
 * enters that phase (a test that SIGKILLs the process in the middle of a move). Nothing sets it in production; unset,
 * the check is a property lookup per phase.
 */
final class RelocationFaults {
  static final String PAUSE_PROPERTY = "tenantry.test.relocation-pause-at";

  private RelocationFaults() {
  }

  /** Blocks the move's worker thread until the process is killed, when the property names {@code phase}. */
  static void enter(String phase) throws InterruptedException {
    if (phase.equals(System.getProperty(PAUSE_PROPERTY))) {
      while (true) { // until the test kills this process
        Thread.sleep(1_000);
      }
    }
  }
}
