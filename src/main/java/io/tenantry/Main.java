package io.tenantry;

import io.tenantry.cluster.Node;
import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.tenantry.config.ConfigLoader;
import io.tenantry.db.DatabaseBootstrap;
import io.tenantry.provisioning.FleetMigrator;
import io.tenantry.server.TenantryServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar tenantry.jar [serve|migrate|help] [--config FILE] [--profile dev] [--key=value ...]}.
 * Exit codes: 0 done, 1 failed at run time, 2 bad command line or configuration.
 */
public final class Main {
  private static final String USAGE = """
    usage: java -jar tenantry.jar [serve|migrate|help] [--config FILE] [--profile dev|prod] [--cluster] [--key=value ...]
           java -jar tenantry.jar tenants apply|list|show|suspend|resume|archive|delete|restore ... [--help]
      serve             prepare the database if needed, then serve HTTP (default)
      migrate           create the database and roles if needed, migrate the platform schema and every
                        schema- and database-tier tenant (parallel, resumable), then exit (1 if a tenant failed)
      migrate --status  print each tenant's migration version and last failure
      tenants ...       administer a running server's tenants through its admin API, e.g.
                        tenants apply -f tenants.yaml [--dry-run]; tenants --help lists the commands
      help, --help, -h  print this and exit
      --config FILE     a YAML file over the built-in defaults (default: ./conf/tenantry.yaml when present)
      --profile dev     try it out: loopback only, generated JWT keys, admin@tenantry.local / tenantry-dev-password
      --cluster         join the cluster described by the cluster.* keys (same as --cluster.enabled=true)
    Keys are those of conf/tenantry.yaml (e.g. --http.port=9090); TENANTRY_* environment variables work too.""";

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("tenants")) {
      System.exit(io.tenantry.cli.TenantsCli.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out,
        System.err, System.getenv()));
    }
    try {
      run(args);
    } catch (ConfigException e) {
      System.err.println(e.oneLine());
      System.exit(2);
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
  }

  private static void run(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String command = !rest.isEmpty() && !rest.peekFirst().startsWith("-") ? rest.removeFirst() : "serve";
    Path file = Files.exists(Path.of("conf/tenantry.yaml")) ? Path.of("conf/tenantry.yaml") : null;
    Map<String, String> flags = new LinkedHashMap<>();
    boolean status = false;
    while (!rest.isEmpty()) {
      String arg = rest.removeFirst();
      if (arg.equals("--status") && command.equals("migrate")) {
        status = true;
      } else if (arg.equals("--config")) {
        file = Path.of(next(rest, arg));
      } else if (arg.equals("--profile")) {
        flags.put("profile", next(rest, arg));
      } else if (arg.equals("--cluster")) {
        flags.put("cluster.enabled", "true");
      } else if (arg.startsWith("--") && arg.contains("=")) {
        flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        throw new UsageException("unknown argument: " + arg);
      }
    }
    if (command.equals("help")) {
      System.out.println(USAGE);
      return;
    }
    if (!List.of("serve", "migrate").contains(command)) {
      throw new UsageException("unknown command: " + command);
    }
    Config config = ConfigLoader.load(file, System.getenv(), flags);
    chooseLogFormat(config);
    switch (command) {
      case "serve" -> serve(config);
      default -> migrate(config, status);
    }
  }

  /**
   * Readable lines for a person in the dev profile, JSON otherwise; -Dlogback.configurationFile still wins. Runs
   * before the first logger is made, which is when logback reads its configuration.
   */
  private static void chooseLogFormat(Config config) {
    if (config.profile() == Config.Profile.DEV && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-dev.xml");
    }
  }

  private static void serve(Config config) {
    Logger log = LoggerFactory.getLogger(Main.class);
    Node node;
    try {
      node = Node.start(config.cluster()).await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      System.err.println("startup failed: cannot join the cluster: " + e.getMessage());
      System.exit(1);
      return;
    }
    try {
      TenantryServer server = TenantryServer.start(node, config).await(5, TimeUnit.MINUTES);
      log.info("Tenantry listening on {}:{} (profile {}, {} node {}, {} member(s))", config.httpHost(),
        config.httpPort(), config.profile(), node.membership().clustered() ? "clustered" : "standalone",
        node.membership().nodeId(), node.membership().members().size());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(log, config, server, node), "tenantry-shutdown"));
    } catch (ConfigException e) {
      node.close();
      throw e;
    } catch (Exception e) {
      Throwable cause = e.getCause() instanceof ConfigException ce ? ce : e;
      if (cause instanceof ConfigException ce) {
        node.close();
        throw ce;
      }
      System.err.println("startup failed: " + cause.getMessage());
      node.close();
      System.exit(1);
    }
  }

  private static void migrate(Config config, boolean statusOnly) {
    FleetMigrator fleet = new FleetMigrator(config);
    if (statusOnly) {
      fleet.status().forEach(System.out::println);
      return;
    }
    long start = System.nanoTime();
    new DatabaseBootstrap(config).run();
    FleetMigrator.Report report = fleet.migrateAll();
    System.out.printf("tenants: %d, already current: %d, migrated: %d, busy elsewhere: %d, failed: %d (%.1f s)%n",
      report.total(), report.current(), report.migrated(), report.busy(), report.failed().size(),
      (System.nanoTime() - start) / 1e9);
    report.failed().forEach(f -> System.out.println("failed: " + f.slug() + ": " + f.error()));
    if (!report.failed().isEmpty()) {
      System.exit(1);
    }
  }

  /** SIGTERM: drain, finish in-flight requests, close pools, then leave the cluster; the JVM exits after. */
  private static void shutdown(Logger log, Config config, TenantryServer server, Node node) {
    log.info("shutting down: draining for {} ms, then up to {} ms for in-flight requests",
      config.shutdownDrainMs(), config.shutdownTimeoutMs());
    long budgetMs = config.shutdownDrainMs() + config.shutdownTimeoutMs() + 30_000L;
    try {
      server.stop().eventually(node::close).await(budgetMs, TimeUnit.MILLISECONDS);
      log.info("stopped");
    } catch (Exception e) {
      log.warn("unclean shutdown: {}", e.toString());
    }
  }

  private static String next(Deque<String> rest, String flag) {
    if (rest.isEmpty()) {
      throw new UsageException(flag + " needs a value");
    }
    return rest.removeFirst();
  }

  private static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
