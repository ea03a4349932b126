package io.tenantry.provisioning;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For tests only: makes a provisioning step fail for one tenant (set in-process by a test), or makes every
 * tenant's step wait forever when the JVM runs with {@value #PAUSE_PROPERTY}={@code <step>} (a test that kills the
 * process in the middle of that step). Nothing sets either in production; unset, each check is a map lookup.
 */
public final class ProvisioningFaults {
  static final String PAUSE_PROPERTY = "tenantry.test.provisioning-pause-at";
  private static final Map<String, ProvisioningStep> FAIL_AT = new ConcurrentHashMap<>();

  private ProvisioningFaults() {
  }

  /** The tenant with this slug fails at {@code step} until {@link #clear} (a test's injected failure). */
  public static void failAt(String slug, ProvisioningStep step) {
    FAIL_AT.put(slug, step);
  }

  public static void clear(String slug) {
    FAIL_AT.remove(slug);
  }

  static Future<Void> before(String slug, ProvisioningStep step, WorkerExecutor workers) {
    if (FAIL_AT.get(slug) == step) {
      return Future.failedFuture(new IllegalStateException("injected failure at step " + step.sql() + " (test hook)"));
    }
    if (step.sql().equals(System.getProperty(PAUSE_PROPERTY))) {
      return workers.executeBlocking(() -> {
        while (true) { // until the test kills this process
          Thread.sleep(1_000);
        }
      }, false);
    }
    return Future.succeededFuture();
  }
}
