package io.tenantry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a tenants file as a whole, without the server: its shape, unknown keys, slugs, duplicates and
 * cycles among the parents it names. Every problem is reported with its line; any problem means nothing is applied.
 */
final class TenantsFile {
  static final Pattern SLUG = Pattern.compile("[a-z0-9-]{3,63}");
  private static final Pattern UUID_LIKE =
    Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern PLAN = Pattern.compile("[a-z0-9-]{1,40}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
  private static final Set<String> KEYS =
    Set.of("slug", "name", "parent", "isolation", "plan", "config", "admins", "template");
  private static final Set<String> TIERS = Set.of("shared", "schema", "database");

  private final String fileName;
  private final List<String> problems = new ArrayList<>();

  private TenantsFile(String fileName) {
    this.fileName = fileName;
  }

  /** The file's tenants in file order; a {@link CliException} with exit code 2 listing every problem otherwise. */
  static List<DesiredTenant> read(Path path) {
    try (Reader reader = Files.newBufferedReader(path)) {
      return new TenantsFile(path.toString()).check(Located.parse(reader));
    } catch (NoSuchFileException e) {
      throw CliException.usage("no such file: " + path);
    } catch (Located.FileProblem e) {
      throw CliException.usage(path + ":" + e.line + ": " + e.getMessage());
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw CliException.usage(path + (line > 0 ? ":" + line : "") + ": not valid YAML:\n  "
        + String.join("\n  ", e.getOriginalMessage().strip().lines().toList()));
    } catch (IOException e) {
      throw CliException.usage(path + ": not readable: " + e.getMessage());
    }
  }

  private List<DesiredTenant> check(Located root) {
    List<DesiredTenant> tenants = new ArrayList<>();
    if (root.map() == null) {
      problem(root.line(), "the file must be a mapping with a \"tenants\" list");
    } else {
      root.map().forEach((key, value) -> {
        if (!key.equals("tenants")) {
          problem(value.keyLine(), "unknown key \"" + key + "\" (the file has one key: tenants)");
        }
      });
      Located list = root.map().get("tenants");
      if (list == null || list.list() == null) {
        problem(list == null ? root.line() : list.line(), "\"tenants\" must be a list of tenants");
      } else {
        for (Located entry : list.list()) {
          DesiredTenant tenant = tenant(entry);
          if (tenant != null) {
            tenants.add(tenant);
          }
        }
      }
    }
    duplicatesAndCycles(tenants);
    if (!problems.isEmpty()) {
      throw CliException.usage(String.join("\n", problems) + "\n" + problems.size() + " problem(s) in "
        + fileName + "; nothing was changed");
    }
    return tenants;
  }

  private DesiredTenant tenant(Located entry) {
    Map<String, Located> m = entry.map();
    if (m == null) {
      problem(entry.line(), "a tenant must be a mapping with at least slug and name");
      return null;
    }
    int before = problems.size();
    m.forEach((key, value) -> {
      if (!KEYS.contains(key)) {
        problem(value.keyLine(), "unknown key \"" + key + "\" (allowed: slug, name, parent, isolation, plan, config, "
          + "admins, template)");
      }
    });
    String slug = string(m, "slug", entry.line(), true);
    if (slug != null && (!SLUG.matcher(slug).matches() || UUID_LIKE.matcher(slug).matches())) {
      problem(m.get("slug").line(), "slug \"" + slug + "\" must be 3-63 of a-z, 0-9 and -, and not look like a UUID");
    }
    String name = string(m, "name", entry.line(), true);
    if (name != null && (name.isBlank() || name.strip().length() > 200)) {
      problem(m.get("name").line(), "name must be 1-200 characters, not blank");
    }
    String parent = string(m, "parent", entry.line(), false);
    if (parent != null && !SLUG.matcher(parent).matches()) {
      problem(m.get("parent").line(), "parent \"" + parent + "\" is not a slug (3-63 of a-z, 0-9 and -)");
    }
    String isolation = string(m, "isolation", entry.line(), false);
    if (isolation != null && !TIERS.contains(isolation)) {
      problem(m.get("isolation").line(), "isolation must be shared, schema or database, not \"" + isolation + "\"");
    }
    String plan = string(m, "plan", entry.line(), false);
    if (plan != null && !PLAN.matcher(plan).matches()) {
      problem(m.get("plan").line(), "plan \"" + plan + "\" must be 1-40 of a-z, 0-9 and -");
    }
    String template = string(m, "template", entry.line(), false);
    JsonObject config = config(m.get("config"));
    List<String> admins = admins(m.get("admins"));
    if (problems.size() > before) {
      return null;
    }
    return new DesiredTenant(entry.line(), slug, name.strip(), parent, isolation, plan, config, admins, template);
  }

  private JsonObject config(Located config) {
    if (config == null) {
      return null;
    }
    if (config.map() == null) {
      problem(config.line(), "config must be a mapping of setting key to value");
      return null;
    }
    config.map().forEach((key, value) -> {
      if (value.value() == null) {
        problem(value.line(), "config " + key + ": a value is required (leave the key out to clear it)");
      }
    });
    return (JsonObject) config.json();
  }

  private List<String> admins(Located admins) {
    if (admins == null) {
      return null;
    }
    if (admins.list() == null) {
      problem(admins.line(), "admins must be a list of e-mail addresses");
      return null;
    }
    List<String> emails = new ArrayList<>();
    for (Located admin : admins.list()) {
      if (!(admin.value() instanceof String email) || !EMAIL.matcher(email.strip()).matches()
        || email.strip().length() > 254) {
        problem(admin.line(), "admin " + admin.value() + " is not an e-mail address");
      } else if (emails.contains(email.strip().toLowerCase())) {
        problem(admin.line(), "admin " + email + " is listed twice");
      } else {
        emails.add(email.strip().toLowerCase());
      }
    }
    return emails;
  }

  private void duplicatesAndCycles(List<DesiredTenant> tenants) {
    Map<String, DesiredTenant> bySlug = new HashMap<>();
    for (DesiredTenant t : tenants) {
      DesiredTenant first = bySlug.putIfAbsent(t.slug(), t);
      if (first != null) {
        problem(t.line(), "tenant " + t.slug() + " is already defined at line " + first.line());
      }
    }
    Set<String> reported = new HashSet<>();
    for (DesiredTenant t : tenants) {
      Map<String, Integer> seen = new LinkedHashMap<>();
      DesiredTenant at = t;
      while (at != null && !seen.containsKey(at.slug())) {
        seen.put(at.slug(), at.line());
        at = at.parent() == null ? null : bySlug.get(at.parent());
      }
      if (at != null && at.slug().equals(t.slug()) && reported.add(t.slug())) {
        List<String> cycle = new ArrayList<>(seen.keySet());
        cycle.add(t.slug());
        reported.addAll(cycle);
        problem(t.line(), "parents form a cycle: " + String.join(" -> ", cycle));
      }
    }
  }

  private String string(Map<String, Located> m, String key, int line, boolean required) {
    Located value = m.get(key);
    if (value == null || value.value() == null) {
      if (required) {
        problem(line, "a tenant needs \"" + key + "\"");
      }
      return null;
    }
    if (value.map() != null || value.list() != null) {
      problem(value.line(), key + " must be text, not a " + (value.map() != null ? "mapping" : "list"));
      return null;
    }
    return String.valueOf(value.value());
  }

  private void problem(int line, String message) {
    problems.add(fileName + ":" + line + ": " + message);
  }

}
