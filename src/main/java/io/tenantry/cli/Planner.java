package io.tenantry.cli;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Compares a checked tenants file with what the server has and lists the changes that would make the server match
 * it. Reads only. What the file refers to on the server (parents outside the file, plans, setting keys) must exist,
 * or the file is refused with its lines (exit 2) before anything is planned.
 */
final class Planner {
  private static final Set<String> LIMIT_FIELDS = Set.of("rate", "burst", "user_rate", "user_burst", "write_cost");

  private final AdminClient client;
  private final ExecutorService pool;
  private final String fileName;
  private final ServerFeatures features;
  /** Whether the caller may list every tenant: a super-admin, who may also invite to any tenant. */
  private volatile boolean superAdmin;

  Planner(AdminClient client, ExecutorService pool, String fileName) {
    this.client = client;
    this.pool = pool;
    this.fileName = fileName;
    this.features = ServerFeatures.of(client);
  }

  /** The changes per tenant, in file order (a tenant with none has an empty list). */
  Map<String, List<Change>> plan(List<DesiredTenant> desired) {
    Map<String, JsonObject> existing = existing(desired);
    checkReferences(desired, existing);
    Map<String, CompletableFuture<List<Change>>> pending = new LinkedHashMap<>();
    for (DesiredTenant t : desired) {
      JsonObject current = existing.get(t.slug());
      pending.put(t.slug(), CompletableFuture.supplyAsync(
        () -> current == null ? creation(t) : update(t, current), pool));
    }
    Map<String, List<Change>> plan = new LinkedHashMap<>();
    pending.forEach((slug, changes) -> plan.put(slug, join(changes)));
    return plan;
  }

  /** The server's tenants by slug: the whole list for a super-admin, else each tenant the file names. */
  private Map<String, JsonObject> existing(List<DesiredTenant> desired) {
    Map<String, JsonObject> bySlug = new HashMap<>();
    try {
      client.all("/admin/v1/tenants").forEach(t -> bySlug.put(t.getString("slug"), t));
      superAdmin = true;
      return bySlug;
    } catch (AdminClient.ApiError e) {
      if (e.status != 403) {
        throw e;
      }
    }
    Set<String> slugs = new HashSet<>();
    desired.forEach(t -> {
      slugs.add(t.slug());
      if (t.parent() != null) {
        slugs.add(t.parent());
      }
    });
    Map<String, CompletableFuture<JsonObject>> reads = new HashMap<>();
    slugs.forEach(slug -> reads.put(slug, CompletableFuture.supplyAsync(() -> {
      try {
        return client.get("/admin/v1/tenants/" + slug).body();
      } catch (AdminClient.ApiError e) {
        if (e.status == 404 || e.status == 403) {
          return null;
        }
        throw e;
      }
    }, pool)));
    reads.forEach((slug, read) -> {
      JsonObject tenant = join(read);
      if (tenant != null) {
        bySlug.put(slug, tenant);
      }
    });
    return bySlug;
  }

  private void checkReferences(List<DesiredTenant> desired, Map<String, JsonObject> existing) {
    List<String> problems = new ArrayList<>();
    Set<String> inFile = new HashSet<>();
    desired.forEach(t -> inFile.add(t.slug()));
    Set<String> plans = desired.stream().anyMatch(t -> t.plan() != null) ? names("/admin/v1/plans", "name") : Set.of();
    Set<String> settings = desired.stream().anyMatch(t -> t.config() != null && !t.config().isEmpty())
      ? names("/admin/v1/settings", "key") : Set.of();
    for (DesiredTenant t : desired) {
      if (t.parent() != null && !inFile.contains(t.parent())) {
        JsonObject parent = existing.get(t.parent());
        if (parent == null) {
          problems.add(at(t, "parent " + t.parent() + " is neither in the file nor on the server"));
        } else if ("deleted".equals(parent.getString("status"))) {
          problems.add(at(t, "parent " + t.parent() + " is deleted"));
        }
      }
      if (t.plan() != null && !plans.contains(t.plan())) {
        problems.add(at(t, "plan " + t.plan() + " does not exist (the server has: " + String.join(", ", plans) + ")"));
      }
      if (t.config() != null) {
        t.config().fieldNames().stream().filter(key -> !settings.contains(key)).sorted()
          .forEach(key -> problems.add(at(t, "config " + key + " is not a setting (GET /admin/v1/settings lists them)")));
      }
    }
    if (!problems.isEmpty()) {
      throw CliException.usage(String.join("\n", problems) + "\n" + problems.size() + " problem(s) in " + fileName
        + "; nothing was changed");
    }
  }

  private Set<String> names(String path, String field) {
    Set<String> names = new java.util.TreeSet<>();
    client.get(path).body().getJsonArray("items", new io.vertx.core.json.JsonArray())
      .forEach(item -> names.add(((JsonObject) item).getString(field)));
    return names;
  }

  private String at(DesiredTenant t, String message) {
    return fileName + ":" + t.line() + ": " + message;
  }

  private List<Change> creation(DesiredTenant t) {
    String slug = t.slug();
    List<Change> changes = new ArrayList<>();
    String where = (t.isolation() == null ? "default tier" : t.isolation())
      + (t.parent() == null ? ", top-level" : ", under " + t.parent())
      + (t.template() == null ? "" : ", template " + t.template());
    if (t.template() != null && !features.templates()) {
      changes.add(Change.unsupportedCreation(slug, "create tenant " + slug + " (" + where + "): this server does not accept "
        + "\"template\" on tenant creation (its API document has no templates); remove it or upgrade the server"));
      return changes;
    }
    JsonObject body = new JsonObject().put("slug", slug).put("name", t.name());
    if (t.isolation() != null) {
      body.put("isolation", t.isolation());
    }
    if (t.parent() != null) {
      body.put("parent", t.parent());
    }
    if (t.template() != null) {
      body.put("template", t.template());
    }
    changes.add(Change.create(slug, "create tenant " + slug + " \"" + t.name() + "\" (" + where + ")",
      c -> c.post("/admin/v1/tenants", body)));
    if (t.plan() != null) {
      changes.add(plan(slug, t.plan(), null, new JsonObject()));
    }
    if (t.config() != null) {
      t.config().forEach(e -> changes.add(putConfig(slug, e.getKey(), e.getValue(), null)));
    }
    if (t.admins() != null) {
      t.admins().forEach(email -> changes.add(invite(slug, email)));
    }
    return changes;
  }

  private List<Change> update(DesiredTenant t, JsonObject current) {
    String slug = t.slug();
    List<Change> changes = new ArrayList<>();
    String status = current.getString("status");
    if ("deleted".equals(status)) {
      changes.add(Change.unsupported(slug, "tenant " + slug + " is deleted: restore it (tenants restore " + slug
        + ") or take it out of the file"));
      return changes;
    }
    if (t.isolation() != null && !t.isolation().equals(current.getString("isolation"))) {
      changes.add(Change.unsupported(slug, "tenant " + slug + ": isolation " + current.getString("isolation")
        + " -> " + t.isolation() + " is not supported (moving a tenant between tiers is not built yet)"));
    }
    if (!t.name().equals(current.getString("name"))) {
      String text = "rename tenant " + slug + ": \"" + current.getString("name") + "\" -> \"" + t.name() + "\"";
      changes.add(features.rename()
        ? Change.of(slug, '~', text, c -> c.patch("/admin/v1/tenants/" + slug, new JsonObject().put("name", t.name()),
          features.renameContentType()))
        : Change.unsupported(slug, text + ": not supported by this server (it has no PATCH /admin/v1/tenants/{slug})"));
    }
    if (current.containsKey("parent") && !Objects.equals(t.parent(), current.getString("parent"))) {
      String from = current.getString("parent") == null ? "top level" : current.getString("parent");
      String to = t.parent() == null ? "top level" : t.parent();
      changes.add(Change.of(slug, '~', "move tenant " + slug + ": " + from + " -> " + to,
        c -> c.post("/admin/v1/tenants/" + slug + "/move", new JsonObject().put("parent", t.parent()))));
    }
    // the tenant shows its plan to a super-admin (newer servers): its limits are read only when the plan changes
    if (t.plan() != null && !t.plan().equals(current.getString("plan"))) {
      JsonObject limits = client.get("/admin/v1/tenants/" + slug + "/limits").body();
      if (!t.plan().equals(limits.getString("plan"))) {
        changes.add(plan(slug, t.plan(), limits.getString("plan"), override(limits)));
      }
    }
    if (t.config() != null) {
      JsonObject values = client.get("/admin/v1/tenants/" + slug + "/config").body()
        .getJsonObject("values", new JsonObject());
      t.config().forEach(e -> {
        if (!values.containsKey(e.getKey()) || !Json.same(values.getValue(e.getKey()), e.getValue())) {
          changes.add(putConfig(slug, e.getKey(), e.getValue(), values.getValue(e.getKey())));
        }
      });
      values.fieldNames().stream().filter(key -> !t.config().containsKey(key)).sorted().forEach(key ->
        changes.add(Change.of(slug, '-', "config " + slug + ": " + key + " (was " + show(values.getValue(key)) + ")",
          c -> c.delete("/admin/v1/tenants/" + slug + "/config/" + AdminClient.encode(key)))));
    }
    if (t.admins() != null && !t.admins().isEmpty()) {
      admins(slug, t.admins(), changes);
    }
    return changes;
  }

  private void admins(String slug, List<String> wanted, List<Change> changes) {
    Set<String> admins = new HashSet<>();
    try {
      client.all("/admin/v1/tenants/" + slug + "/users?role=tenant_admin")
        .forEach(m -> admins.add(m.getString("email", "").toLowerCase()));
    } catch (AdminClient.ApiError e) {
      if (e.status != 403) {
        throw e;
      }
      changes.add(Change.unsupported(slug, "admins " + slug + ": not compared: the server refused to list its members ("
        + e.getMessage() + "); apply them as a super-admin or a tenant_admin of the tenant or an ancestor"));
      return;
    }
    List<String> missing = wanted.stream().filter(email -> !admins.contains(email.toLowerCase())).toList();
    Set<String> invited = missing.isEmpty() || !features.invitations() ? Set.of() : pendingAdminInvitations(slug);
    missing.forEach(email -> {
      Change change = promoteOrInvite(slug, email, invited);
      if (change != null) {
        changes.add(change);
      }
    });
  }

  /** The e-mails with a pending tenant_admin invitation to the tenant: inviting them again would change nothing. */
  private Set<String> pendingAdminInvitations(String slug) {
    Set<String> invited = new HashSet<>();
    client.all("/admin/v1/tenants/" + slug + "/invitations?state=pending").stream()
      .filter(i -> "tenant_admin".equals(i.getString("role")))
      .forEach(i -> invited.add(i.getString("email", "").toLowerCase()));
    return invited;
  }

  /** The tenant's limit override, kept as it is when the plan changes (PUT .../limits replaces the override). */
  private static JsonObject override(JsonObject limits) {
    JsonObject override = limits.getJsonObject("override");
    JsonObject kept = new JsonObject();
    if (override != null) {
      override.forEach(e -> {
        if (LIMIT_FIELDS.contains(e.getKey()) && e.getValue() != null) {
          kept.put(e.getKey(), e.getValue());
        }
      });
    }
    return kept;
  }

  private static Change plan(String slug, String plan, String was, JsonObject override) {
    JsonObject body = override.copy().put("plan", plan);
    return Change.of(slug, '~', "plan " + slug + ": " + (was == null ? "" : was + " -> ") + plan,
      c -> c.put("/admin/v1/tenants/" + slug + "/limits", body));
  }

  private static Change putConfig(String slug, String key, Object value, Object was) {
    return Change.of(slug, was == null ? '+' : '~', "config " + slug + ": " + key + " = " + show(value)
        + (was == null ? "" : " (was " + show(was) + ")"),
      c -> c.put("/admin/v1/tenants/" + slug + "/config/" + AdminClient.encode(key), new JsonObject().put("value", value)));
  }

  /**
   * A missing admin who is already a member gets the role; anyone else is invited as tenant_admin, unless an
   * invitation is pending (null: nothing to do). The caller may list the tenant's members, so it may invite too.
   */
  private Change promoteOrInvite(String slug, String email, Set<String> invited) {
    JsonObject member = client.all("/admin/v1/tenants/" + slug + "/users?email_prefix=" + AdminClient.encode(email))
      .stream().filter(m -> email.equalsIgnoreCase(m.getString("email"))).findFirst().orElse(null);
    if (member == null) {
      return invited.contains(email.toLowerCase()) ? null : invite(slug, email);
    }
    return Change.of(slug, '~', "admin " + slug + ": " + email + " (" + member.getString("role") + " -> tenant_admin)",
      c -> c.patch("/admin/v1/tenants/" + slug + "/users/" + member.getString("user_id"),
        new JsonObject().put("role", "tenant_admin"), "application/json"));
  }

  /**
   * Invites a new admin; the invitee becomes a member on accepting. Through the invitations resource, which a
   * super-admin, the tenant's tenant_admins and its ancestors' may use; a server without it gets POST .../users, where
   * a tenant_admin's add is the same invitation (202) and a super-admin's adds an existing account directly.
   */
  private Change invite(String slug, String email) {
    // a server without the invitations resource has a super-admin add existing accounts directly
    boolean direct = superAdmin && !features.invitations();
    String text = "admin " + slug + ": " + email + (direct ? "" : " (invitation: a member once accepted)");
    JsonObject body = new JsonObject().put("email", email).put("role", "tenant_admin");
    String path = features.invitations()
      ? "/admin/v1/tenants/" + slug + "/invitations" : "/admin/v1/tenants/" + slug + "/users";
    return Change.of(slug, '+', text, c -> c.post(path, body));
  }

  private static String show(Object value) {
    return Json.show(value);
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
