package io.tenantry.db;

/** Quoting for identifiers and literals in DDL, where bind parameters are not allowed. */
public final class SqlIdentifiers {
  private SqlIdentifiers() {
  }

  public static String quoteIdent(String identifier) {
    if (identifier.indexOf('\0') >= 0 || identifier.isEmpty() || identifier.length() > 63) {
      throw new IllegalArgumentException("not a valid PostgreSQL identifier");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  public static String quoteLiteral(String literal) {
    if (literal.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("NUL in SQL literal");
    }
    return '\'' + literal.replace("'", "''") + '\'';
  }
}
