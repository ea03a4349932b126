package io.tenantry.relocation;

/**
 * For tests only: when the JVM runs with {@value #PAUSE_PROPERTY}={@code <phase>}, every move stops for good as it
 * enters that phase (a test that SIGKILLs the process in the middle of a move); an in-process test may also run
 * something of its own as a move starts catching up ({@link #atCatchingUp}: a write that bypasses the audit log).
 * Nothing sets either in production; unset, the check is a property lookup and a volatile read per phase.
 */
final class RelocationFaults {
  static final String PAUSE_PROPERTY = "tenantry.test.relocation-pause-at";
  /** Run (on the move's worker) with the tenant's id as its move starts catching up; null: nothing. */
  static volatile java.util.function.Consumer<java.util.UUID> atCatchingUp;

  private RelocationFaults() {
  }

  /** Blocks the move's worker thread until the process is killed, when the property names {@code phase}. */
  static void enter(String phase, java.util.UUID tenant) throws InterruptedException {
    java.util.function.Consumer<java.util.UUID> hook = atCatchingUp;
    if (hook != null && phase.equals("catching_up")) {
      hook.accept(tenant);
    }
    if (phase.equals(System.getProperty(PAUSE_PROPERTY))) {
      while (true) { // until the test kills this process
        Thread.sleep(1_000);
      }
    }
  }
}
