package io.tenantry.records.query;

import io.vertx.sqlclient.Tuple;

/**
 * SQL text made of the query grammar's fixed fragments and {@code $n} placeholders; every value a client sent goes
 * into the tuple, never into the text.
 */
final class SqlBuilder {
  private final StringBuilder sql = new StringBuilder();
  private final Tuple params = Tuple.tuple();

  SqlBuilder append(String fixed) {
    sql.append(fixed);
    return this;
  }

  /** Binds a value and returns its placeholder. */
  String bind(Object value) {
    params.addValue(value);
    return "$" + params.size();
  }

  String sql() {
    return sql.toString();
  }

  Tuple params() {
    return params;
  }
}
