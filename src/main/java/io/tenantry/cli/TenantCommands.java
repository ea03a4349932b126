package io.tenantry.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code tenants list|show|suspend|resume|archive|delete|restore}: one admin API call or two each. */
final class TenantCommands {
  /** Each lifecycle command's states in which it has nothing to do. */
  private static final Map<String, Set<String>> ALREADY = Map.of(
    "suspend", Set.of("suspended"),
    "resume", Set.of("active"),
    "archive", Set.of("archived"),
    "delete", Set.of("deleted"),
    "restore", Set.of("active", "suspended"));

  private final AdminClient client;
  private final PrintStream out;

  TenantCommands(AdminClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  int list(boolean json) {
    List<JsonObject> tenants = client.all("/admin/v1/tenants");
    if (json) {
      tenants.forEach(t -> out.println(t.encode()));
      return ExitCodes.OK;
    }
    int width = tenants.stream().mapToInt(t -> t.getString("slug").length()).max().orElse(4);
    String format = "%-" + Math.max(4, width) + "s  %-12s  %-8s  %-" + Math.max(6, width) + "s  %s%n";
    out.printf(format, "SLUG", "STATUS", "TIER", "PARENT", "NAME");
    tenants.forEach(t -> out.printf(format, t.getString("slug"), t.getString("status"), t.getString("isolation"),
      t.getString("parent") == null ? "-" : t.getString("parent"), t.getString("name")));
    out.println(tenants.size() + " tenant(s)");
    return ExitCodes.OK;
  }

  int show(String slug, boolean json) {
    JsonObject tenant = client.get("/admin/v1/tenants/" + slug).body();
    JsonObject config;
    try {
      config = client.get("/admin/v1/tenants/" + slug + "/config").body().getJsonObject("values", new JsonObject());
    } catch (AdminClient.ApiError e) {
      config = null;
    }
    if (json) {
      out.println(tenant.copy().put("config", config).encodePrettily());
      return ExitCodes.OK;
    }
    for (String field : List.of("slug", "name", "id", "status", "isolation", "parent", "schema_version",
      "statement_timeout_ms", "created_at", "migration_error")) {
      if (tenant.containsKey(field)) {
        out.println(field + ": " + (tenant.getValue(field) == null ? "-" : tenant.getValue(field)));
      }
    }
    if (tenant.getJsonObject("database") != null) {
      out.println("database: " + tenant.getJsonObject("database").encode());
    }
    if (config == null) {
      out.println("config: (not readable)");
    } else if (config.isEmpty()) {
      out.println("config: (none set on the tenant)");
    } else {
      out.println("config:");
      JsonObject values = config;
      values.fieldNames().stream().sorted().forEach(key -> out.println("  " + key + ": " + Json.show(values.getValue(key))));
    }
    return ExitCodes.OK;
  }

  int lifecycle(String command, String slug) {
    String path = "/admin/v1/tenants/" + slug;
    JsonObject before = client.get(path).body();
    if (ALREADY.get(command).contains(before.getString("status"))) {
      out.println("no change: " + slug + " is " + before.getString("status"));
      return ExitCodes.OK;
    }
    if (command.equals("delete")) {
      client.delete(path);
      out.println("deleted " + slug + " (was " + before.getString("status") + "); tenants restore " + slug
        + " brings it back within the grace period");
      return ExitCodes.OK;
    }
    JsonObject after = client.post(path + "/" + command, new JsonObject()).body();
    out.println(past(command) + " " + slug + ": " + before.getString("status") + " -> " + after.getString("status"));
    return ExitCodes.OK;
  }

  private static String past(String command) {
    return switch (command) {
      case "suspend" -> "suspended";
      case "resume" -> "resumed";
      case "archive" -> "archived";
      default -> "restored";
    };
  }
}
