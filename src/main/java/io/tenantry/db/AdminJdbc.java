package io.tenantry.db;

import io.tenantry.config.PgUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Blocking JDBC helpers for the admin connection (DDL, roles, databases). Worker threads only. */
public final class AdminJdbc {
  private AdminJdbc() {
  }

  public static Connection connect(PgUrl url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    if (!url.password().isEmpty()) {
      props.setProperty("password", url.password());
    }
    props.setProperty("connectTimeout", "10");
    props.setProperty("ApplicationName", "tenantry-admin");
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }

  public static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Takes a session-level advisory lock if it is free; released when the connection closes. */
  public static boolean tryAdvisoryLock(Connection c, String name) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
      lock.setString(1, name);
      try (ResultSet rs = lock.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Holds a session-level advisory lock on the connection: released by the caller or when it closes. */
  public static void advisoryLock(Connection c, String name) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
      lock.setString(1, name);
      lock.execute();
    }
  }
}
