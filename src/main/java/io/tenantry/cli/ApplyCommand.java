package io.tenantry.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code tenants apply -f FILE [--dry-run]}: plan a checked file against the server, print and make the changes. */
final class ApplyCommand {
  private final AdminClient client;
  private final PrintStream out;

  ApplyCommand(AdminClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  int run(List<DesiredTenant> desired, String fileName, boolean dryRun, int parallel) {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "tenants-apply");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<String, List<Change>> plan = new Planner(client, pool, fileName).plan(desired);
      long changes = plan.values().stream().mapToLong(List::size).sum();
      long touched = plan.values().stream().filter(c -> !c.isEmpty()).count();
      long upToDate = desired.size() - touched;
      if (changes == 0) {
        out.println("no changes (" + upToDate + " tenant(s) up to date)");
        return ExitCodes.OK;
      }
      if (dryRun) {
        return dryRun(plan, changes, upToDate);
      }
      Applier applier = new Applier(client, pool, out);
      applier.apply(desired, plan);
      out.printf("applied %d change(s) to %d tenant(s): %d created; %d failed, %d skipped; %d up to date (%.1f s)%n",
        applier.done.get(), touched, applier.created.get(), applier.failed.get(), applier.skipped.get(), upToDate,
        (System.nanoTime() - start) / 1e9);
      return applier.failed.get() + applier.skipped.get() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    } finally {
      pool.shutdownNow();
    }
  }

  private int dryRun(Map<String, List<Change>> plan, long changes, long upToDate) {
    out.println("dry run: nothing is changed; apply would make these changes");
    plan.values().forEach(list -> list.forEach(change -> out.println(change.line())));
    long creates = plan.values().stream().flatMap(List::stream).filter(c -> c.creates() && c.step() != null).count();
    long unsupported = plan.values().stream().flatMap(List::stream).filter(c -> c.step() == null).count();
    out.printf("%d change(s) to make: %d tenant(s) to create, %d not supported; %d tenant(s) up to date%n",
      changes, creates, unsupported, upToDate);
    return unsupported > 0 ? ExitCodes.FAILED : ExitCodes.CHANGES_PENDING;
  }
}
