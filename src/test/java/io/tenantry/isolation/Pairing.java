package io.tenantry.isolation;

import java.util.List;

/** Attacker tenant A's tier and victim tenant B's tier. Every attack runs against each pairing. */
record Pairing(String a, String b) {
  static final List<Pairing> ALL = List.of(
    new Pairing("shared", "shared"),
    new Pairing("schema", "schema"),
    new Pairing("database", "database"),
    new Pairing("shared", "schema"),
    new Pairing("schema", "database"),
    new Pairing("database", "shared"));

  String slugPrefix() {
    return a.substring(0, 2) + "-" + b.substring(0, 2);
  }

  @Override
  public String toString() {
    return a + " attacks " + b;
  }
}
