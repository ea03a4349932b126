package io.tenantry.records.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The filter operators of {@code filter[<field>][<op>]=value}; {@code eq} when the operator is left out. */
public enum Operator {
  EQ, IN, GT, GTE, LT, LTE, EXISTS, CONTAINS, PREFIX;

  public static Optional<Operator> named(String name) {
    return Arrays.stream(values()).filter(op -> op.wire().equals(name)).findFirst();
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean range() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }

  public String sqlComparison() {
    return switch (this) {
      case GT -> ">";
      case GTE -> ">=";
      case LT -> "<";
      case LTE -> "<=";
      default -> "=";
    };
  }

  public static String all() {
    return Arrays.stream(values()).map(Operator::wire).collect(Collectors.joining(", "));
  }
}
