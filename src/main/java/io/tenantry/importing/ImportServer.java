package io.tenantry.importing;

import io.tenantry.http.Problem;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server and database an import puts a database-tier tenant on ({@code database_host},
 * {@code database_port}, {@code database_name}), checked as a tenant creation's database target is. Parts not given
 * are null here and take the platform server's and the default name ({@link #complete}).
 */
final class ImportServer {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final Pattern DB_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1");

  private ImportServer() {
  }

  /** @return null when none of the three is given */
  static DbTarget parse(String host, String port, String name, Isolation isolation) {
    if (host == null && port == null && name == null) {
      return null;
    }
    if (isolation != null && isolation != Isolation.DATABASE) {
      throw Problem.badRequest("database_host, database_port and database_name are for isolation=database only");
    }
    if (host != null && !HOST.matcher(host).matches()) {
      throw Problem.badRequest("database_host is not a host name or address");
    }
    int p = 0;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw Problem.badRequest("database_port must be 1..65535");
      }
    }
    if (name != null && (!DB_NAME.matcher(name).matches() || RESERVED.contains(name))) {
      throw Problem.badRequest("database_name must match " + DB_NAME.pattern() + " and not be a system database");
    }
    return new DbTarget(host, p, name);
  }

  static DbTarget complete(DbTarget given, DbTarget defaults) {
    if (given == null) {
      return defaults;
    }
    return new DbTarget(given.host() == null ? defaults.host() : given.host(),
      given.port() == 0 ? defaults.port() : given.port(),
      given.database() == null ? defaults.database() : given.database());
  }
}
