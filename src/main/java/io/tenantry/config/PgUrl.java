package io.tenantry.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A parsed postgresql://user[:password]@host[:port]/database URL. */
public record PgUrl(String host, int port, String database, String user, String password) {

  public static PgUrl parse(String key, String url) {
    try {
      URI uri = new URI(url);
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
        throw new ConfigException(key, "must be a postgresql://user@host:port/database URL");
      }
      if (uri.getHost() == null) {
        throw new ConfigException(key, "has no host");
      }
      String user = "postgres";
      String password = "";
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = decode(parts[0]);
        password = parts.length > 1 ? decode(parts[1]) : "";
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
      return new PgUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
        path.isEmpty() ? "postgres" : path, user, password);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "is not a valid URL");
    }
  }

  /** The same server and credentials, another database. */
  public PgUrl withDatabase(String other) {
    return new PgUrl(host, port, other, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
