package io.tenantry.cli;

import java.io.Console;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar tenantry.jar tenants <command> ...}: a client of a running server's admin API, like kubectl.
 * {@link #run} returns the exit code ({@link ExitCodes}) instead of ending the process, so tests run it in-process.
 */
public final class TenantsCli {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
  private static final Set<String> COMMANDS =
    Set.of("apply", "list", "show", "suspend", "resume", "archive", "delete", "restore", "export", "import");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  private TenantsCli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** @param args what follows {@code tenants} on the command line */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    TenantsCli cli = new TenantsCli(out, err, env);
    try {
      return cli.dispatch(args);
    } catch (CliException e) {
      err.println(e.getMessage());
      return e.exitCode;
    } catch (AdminClient.ApiError e) {
      err.println(refusal(e));
      return ExitCodes.FAILED;
    } catch (RuntimeException e) {
      err.println("failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return ExitCodes.FAILED;
    }
  }

  static String refusal(AdminClient.ApiError e) {
    if (e.status == 401) {
      return "the server refused the credentials (401): " + e.getMessage();
    }
    return "the server refused (" + e.status + "): " + e.getMessage();
  }

  /** Options of every command, then the command's own. */
  private record Args(String command, List<String> positional, Map<String, String> options, Set<String> flags) {
    String option(String name) {
      return options.get(name);
    }
  }

  private int dispatch(String[] argv) {
    Args args = parse(argv);
    if (args.command() == null) {
      if (args.flags().contains("help")) {
        out.println(Help.TENANTS);
        return ExitCodes.OK;
      }
      throw CliException.usage("tenants: a command is needed\n" + Help.TENANTS);
    }
    if (args.flags().contains("help")) {
      out.println(help(args.command()));
      return ExitCodes.OK;
    }
    checkFlags(args);
    return switch (args.command()) {
      case "apply" -> {
        // the file is checked before anything else, credentials and server included
        Path file = file(args);
        List<DesiredTenant> desired = TenantsFile.read(file);
        yield new ApplyCommand(client(args), out).run(desired, file.toString(),
          args.flags().contains("dry-run"), parallel(args));
      }
      case "list" -> new TenantCommands(client(args), out).list(args.flags().contains("json"));
      case "show" -> new TenantCommands(client(args), out).show(slug(args), args.flags().contains("json"));
      case "export" -> new TransferCommands(client(args), out).export(slug(args), output(args),
        args.flags().contains("with-password-hashes"));
      case "import" -> new TransferCommands(client(args), out).importBundle(Path.of(args.positional().get(0)),
        args.option("as") == null ? null : slugOption(args.option("as")), args.option("isolation"),
        args.flags().contains("replace-archived"));
      default -> new TenantCommands(client(args), out).lifecycle(args.command(), slug(args));
    };
  }

  private static String help(String command) {
    return switch (command) {
      case "apply" -> Help.APPLY;
      case "list" -> Help.LIST;
      case "show" -> Help.SHOW;
      case "export" -> Help.EXPORT;
      case "import" -> Help.IMPORT;
      default -> Help.lifecycle(command);
    };
  }

  private Args parse(String[] argv) {
    Deque<String> rest = new ArrayDeque<>(List.of(argv));
    String command = null;
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new java.util.HashMap<>();
    Set<String> flags = new java.util.HashSet<>();
    while (!rest.isEmpty()) {
      String arg = rest.removeFirst();
      String value = null;
      if (arg.startsWith("--") && arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
        arg = arg.substring(0, arg.indexOf('='));
      }
      switch (arg) {
        case "--help", "-h" -> flags.add("help");
        case "--dry-run", "--json", "--with-password-hashes", "--replace-archived" -> flags.add(arg.substring(2));
        case "--server", "--token", "--email", "--tenant", "--file", "-f", "--parallel", "--output", "-o", "--as",
          "--isolation" -> {
          String name = arg.equals("-f") ? "file" : arg.equals("-o") ? "output" : arg.substring(2);
          if (value == null) {
            if (rest.isEmpty()) {
              throw CliException.usage(arg + " needs a value");
            }
            value = rest.removeFirst();
          }
          options.put(name, value);
        }
        default -> {
          if (arg.startsWith("-")) {
            throw CliException.usage("unknown option: " + arg + " (tenants --help lists them)");
          }
          if (command == null) {
            if (!COMMANDS.contains(arg)) {
              throw CliException.usage("unknown command: tenants " + arg + "\n" + Help.TENANTS);
            }
            command = arg;
          } else {
            positional.add(arg);
          }
        }
      }
    }
    return new Args(command, positional, options, flags);
  }

  /** Options that mean nothing to the command are refused rather than ignored. */
  private static void checkFlags(Args args) {
    boolean apply = args.command().equals("apply");
    if (!apply && (args.options().containsKey("file") || args.options().containsKey("parallel")
      || args.flags().contains("dry-run"))) {
      throw CliException.usage("-f, --dry-run and --parallel are options of tenants apply only");
    }
    if (!args.command().equals("export") && (args.options().containsKey("output")
      || args.flags().contains("with-password-hashes"))) {
      throw CliException.usage("-o and --with-password-hashes are options of tenants export only");
    }
    if (!args.command().equals("import") && (args.options().containsKey("as") || args.options().containsKey("isolation")
      || args.flags().contains("replace-archived"))) {
      throw CliException.usage("--as, --isolation and --replace-archived are options of tenants import only");
    }
    if (args.flags().contains("json") && !Set.of("list", "show").contains(args.command())) {
      throw CliException.usage("--json is an option of tenants list and show only");
    }
    int allowed = Set.of("apply", "list").contains(args.command()) ? 0 : 1;
    if (args.positional().size() != allowed) {
      throw CliException.usage("tenants " + args.command() + (allowed == 0 ? " takes no arguments"
          : args.command().equals("import") ? " needs one FILE" : " needs one SLUG")
        + (args.positional().isEmpty() ? "" : "; got: " + String.join(" ", args.positional())));
    }
  }

  private static String slug(Args args) {
    String slug = args.positional().get(0);
    if (!TenantsFile.SLUG.matcher(slug).matches()) {
      throw CliException.usage("\"" + slug + "\" is not a tenant slug (3-63 of a-z, 0-9 and -)");
    }
    return slug;
  }

  private static Path output(Args args) {
    String file = args.option("output");
    if (file == null) {
      throw CliException.usage("tenants export needs -o FILE");
    }
    return Path.of(file);
  }

  private static String slugOption(String slug) {
    if (!TenantsFile.SLUG.matcher(slug).matches()) {
      throw CliException.usage("--as: \"" + slug + "\" is not a tenant slug (3-63 of a-z, 0-9 and -)");
    }
    return slug;
  }

  private static Path file(Args args) {
    String file = args.option("file");
    if (file == null) {
      throw CliException.usage("tenants apply needs -f FILE");
    }
    return Path.of(file);
  }

  private static int parallel(Args args) {
    String value = args.option("parallel");
    if (value == null) {
      return 8;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 64) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw CliException.usage("--parallel must be a whole number from 1 to 64, got " + value);
  }

  private AdminClient client(Args args) {
    String server = first(args.option("server"), env.get("TENANTRY_SERVER"), DEFAULT_SERVER);
    URI uri;
    try {
      uri = new URI(server.endsWith("/") ? server : server + "/");
      if (!Set.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
        throw new URISyntaxException(server, "not an http(s) URL with a host");
      }
    } catch (URISyntaxException e) {
      throw CliException.usage("--server: \"" + server + "\" is not an http(s) URL (e.g. " + DEFAULT_SERVER + ")");
    }
    return new AdminClient(uri, credentials(args));
  }

  private Credentials credentials(Args args) {
    String token = first(args.option("token"), null, null);
    String email = first(args.option("email"), null, null);
    if (token != null && email != null) {
      throw CliException.usage("give either --token or --email, not both");
    }
    if (token == null && email == null) {
      token = blankToNull(env.get("TENANTRY_TOKEN"));
      email = token == null ? blankToNull(env.get("TENANTRY_EMAIL")) : null;
    }
    if (token != null) {
      if (args.option("tenant") != null) {
        throw CliException.usage("--tenant is for signing in with --email; a token already names its tenant");
      }
      return Credentials.token(token);
    }
    if (email == null) {
      throw CliException.usage("credentials are needed: --token (or TENANTRY_TOKEN), or --email (or TENANTRY_EMAIL) "
        + "with the password in TENANTRY_PASSWORD");
    }
    String password = blankToNull(env.get("TENANTRY_PASSWORD"));
    if (password == null) {
      Console console = System.console();
      char[] typed = console == null ? null : console.readPassword("password for %s: ", email);
      if (typed == null || typed.length == 0) {
        throw CliException.usage("--email " + email + " needs its password in TENANTRY_PASSWORD");
      }
      password = new String(typed);
    }
    return Credentials.password(email, password, args.option("tenant"));
  }

  private static String first(String a, String b, String fallback) {
    return blankToNull(a) != null ? a : blankToNull(b) != null ? b : fallback;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
