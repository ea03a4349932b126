package io.tenantry.provisioning;

import io.tenantry.config.Config;
import io.tenantry.config.PgUrl;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.TenantNames;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Flyway for one tenant's schema (schema tier) or database (database tier): the migrations in db/tenant, run as
 * the owner role over the admin connection. Each schema keeps its own flyway_schema_history. Blocking.
 */
public final class TenantMigrations {
  static final String LOCATION = "db/tenant";
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");
  private static final int LATEST = scanLatest();

  private final Config config;

  public TenantMigrations(Config config) {
    this.config = config;
  }

  /** The highest version in db/tenant: a tenant at this version needs nothing. */
  public static int latest() {
    return LATEST;
  }

  /**
   * Migrates the tenant's schema (in the platform database) or its database's "tenant" schema.
   *
   * @param database the admin URL of the tenant's database (database tier), or the platform database's
   * @return the version the tenant is at afterwards
   */
  public int migrate(UUID tenantId, Isolation isolation, PgUrl database) {
    String schema = isolation == Isolation.SCHEMA ? TenantNames.schema(tenantId) : TenantNames.DATABASE_TIER_SCHEMA;
    Flyway flyway = Flyway.configure()
      .dataSource(database.jdbcUrl(), database.user(), database.password())
      .initSql("SET ROLE " + quoteIdent(config.ownerRole()))
      .schemas(schema)
      .defaultSchema(schema)
      .createSchemas(true)
      .locations("classpath:" + LOCATION)
      .placeholders(Map.of("schema", quoteIdent(schema), "tenant_id", tenantId.toString(), "app_role", config.appRole()))
      .connectRetries(0)
      .load();
    flyway.migrate();
    String current = flyway.info().current() == null ? "0" : flyway.info().current().getVersion().getVersion();
    return Integer.parseInt(current);
  }

  private static int scanLatest() {
    URL url = TenantMigrations.class.getClassLoader().getResource(LOCATION);
    if (url == null) {
      throw new IllegalStateException(LOCATION + " is missing from the classpath");
    }
    try {
      int latest = 0;
      if ("jar".equals(url.getProtocol())) {
        JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String name = entries.nextElement().getName();
          if (name.startsWith(LOCATION + "/")) {
            latest = Math.max(latest, version(name.substring(LOCATION.length() + 1)));
          }
        }
      } else {
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          latest = files.mapToInt(p -> version(p.getFileName().toString())).max().orElse(0);
        }
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int version(String fileName) {
    Matcher m = VERSIONED.matcher(fileName);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }
}
