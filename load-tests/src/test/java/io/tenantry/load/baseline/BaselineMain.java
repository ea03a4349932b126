package io.tenantry.load.baseline;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.tenantry.config.ConfigLoader;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the overhead benchmark's single-tenant yardstick ({@link BaselineServer}) with the server's own
 * configuration keys, on the class path of the server's jar plus this module's classes:
 * <pre>java -cp target/tenantry.jar:load-tests/target/test-classes io.tenantry.load.baseline.BaselineMain \
 *   [--shared-table] [--key=value ...]</pre>
 * {@code --shared-table} serves the multi-tenant database's {@code shared.records} through the shared tier's
 * statement shapes ({@link BaselineSql#sharedTier()}): PostgreSQL's isolation work alone
 * ({@code ABLATION=1 load-tests/overhead.sh}). Exit code 2 for a bad flag or configuration, 1 when it cannot start.
 */
public final class BaselineMain {
  private BaselineMain() {
  }

  public static void main(String[] args) {
    boolean sharedTable = false;
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("--shared-table")) {
        sharedTable = true;
      } else if (arg.startsWith("--") && arg.contains("=")) {
        flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        System.err.println("unknown argument: " + arg
          + "\nusage: BaselineMain [--shared-table] [--key=value ...] (the keys of conf/tenantry.yaml)");
        System.exit(2);
      }
    }
    Config config;
    try {
      // as `java -jar tenantry.jar serve` does: conf/tenantry.yaml of the working directory when present
      Path file = Files.exists(Path.of("conf/tenantry.yaml")) ? Path.of("conf/tenantry.yaml") : null;
      config = ConfigLoader.load(file, System.getenv(), flags);
    } catch (ConfigException e) {
      System.err.println(e.oneLine());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      BaselineServer server = BaselineServer.start(vertx, config, sharedTable).await(5, TimeUnit.MINUTES);
      System.out.println("baseline listening on " + config.httpHost() + ":" + config.httpPort()
        + (sharedTable ? " (shared table)" : ""));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.stop().eventually(vertx::close).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.err.println("unclean shutdown: " + e);
        }
      }, "baseline-shutdown"));
    } catch (Exception e) {
      System.err.println("startup failed: " + e.getMessage());
      vertx.close();
      System.exit(1);
    }
  }
}
