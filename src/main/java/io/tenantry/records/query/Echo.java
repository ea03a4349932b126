package io.tenantry.records.query;

import java.util.regex.Pattern;

/** A parameter name is echoed in a problem only when it holds nothing a client could use to inject markup. */
final class Echo {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,80}");

  private Echo() {
  }

  static String name(String name) {
    return SAFE.matcher(name).matches() ? name : "a filter parameter (with characters not shown)";
  }
}
