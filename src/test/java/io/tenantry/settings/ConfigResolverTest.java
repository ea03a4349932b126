package io.tenantry.settings;

import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigResolverTest {
  private static final SettingsCatalog CATALOG = SettingsCatalog.load(Map.of("auth.token-ttl-seconds", 900));

  @Test
  void theCatalogDeclaresTheRequiredSettingsWithPlatformBoundsFilledIn() {
    assertThat(CATALOG.all().keySet()).contains("locale", "time_zone", "branding.display_name", "branding.colors",
      "users.allowed_email_domains", "auth.token_ttl_seconds", "features.beta_dashboard");
    Setting ttl = CATALOG.find("auth.token_ttl_seconds").orElseThrow();
    assertThat(ttl.defaultValue()).isEqualTo(900);
    assertThat(ttl.schema().getInteger("maximum")).isEqualTo(900);
    assertThat(ttl.check(901)).get().extracting(Setting.Invalid::pointer).isEqualTo("");
    assertThat(ttl.check(900)).isEmpty();
  }

  @Test
  void defaultsComeFromThePlatform() {
    Map<String, Resolved> effective = ConfigResolver.resolve(CATALOG, List.of());
    assertThat(effective.get("locale")).isEqualTo(new Resolved("en", "platform"));
    assertThat(effective.get("features.beta_dashboard")).isEqualTo(new Resolved(false, "platform"));
  }

  @Test
  void ancestorsRootFirstThenTheTenantEachOverrideWhatCameBefore() {
    List<Level> levels = List.of(
      new Level("root-co", Map.of("locale", "de", "time_zone", "Europe/Berlin", "branding.display_name", "Root")),
      new Level("region-ch", Map.of("locale", "de-CH", "time_zone", "Europe/Zurich")),
      new Level(Resolved.TENANT, Map.of("time_zone", "Europe/Paris")));
    Map<String, Resolved> effective = ConfigResolver.resolve(CATALOG, levels);
    assertThat(effective.get("branding.display_name")).isEqualTo(new Resolved("Root", "root-co"));
    assertThat(effective.get("locale")).isEqualTo(new Resolved("de-CH", "region-ch"));
    assertThat(effective.get("time_zone")).isEqualTo(new Resolved("Europe/Paris", "tenant"));
    assertThat(effective.get("branding.colors").source()).isEqualTo("platform");
  }

  @Test
  void theEffectiveConfigTakesItsAncestorsFromTheAncestorsParameterNearestLast() {
    UUID root = UUID.randomUUID();
    UUID region = UUID.randomUUID();
    Tenant tenant = new Tenant(UUID.randomUUID(), "shop-ch", "Shop", Tenant.Status.ACTIVE, Isolation.SHARED, null, 0,
      null, null, null);
    Map<UUID, Map<String, Object>> stored = Map.of(
      root, Map.of("locale", "de", "branding.display_name", "Root Co"),
      region, Map.of("locale", "de-CH", "time_zone", "Europe/Zurich"),
      tenant.id(), Map.of("time_zone", "Europe/Paris"));
    List<List<UUID>> asked = new ArrayList<>();
    EffectiveConfigCache cache = new EffectiveConfigCache(CATALOG, ids -> {
      asked.add(ids);
      Map<UUID, Map<String, Object>> found = new HashMap<>();
      ids.forEach(id -> found.put(id, stored.getOrDefault(id, Map.of())));
      return Future.succeededFuture(found);
    }, t -> Future.succeededFuture(List.of(new Ancestor(root, "root-co"), new Ancestor(region, "region-ch"))));

    Map<String, Resolved> effective = cache.of(tenant).result();
    assertThat(asked).containsExactly(List.of(root, region, tenant.id()));
    assertThat(effective.get("branding.display_name")).isEqualTo(new Resolved("Root Co", "root-co"));
    assertThat(effective.get("locale")).isEqualTo(new Resolved("de-CH", "region-ch"));
    assertThat(effective.get("time_zone")).isEqualTo(new Resolved("Europe/Paris", "tenant"));
    assertThat(effective.get("branding.colors").source()).isEqualTo("platform");

    cache.of(tenant);
    assertThat(asked).as("cached").hasSize(1);
    cache.evict(tenant.id());
    cache.of(tenant);
    assertThat(asked).as("loaded again after eviction").hasSize(2);
    assertThat(Ancestors.NONE.of(tenant).result()).isEmpty();
  }

  @Test
  void theRefreshDropsEntriesWhoseValuesChangedAndKeepsTheOthers() {
    Tenant changed = new Tenant(UUID.randomUUID(), "changed", "C", Tenant.Status.ACTIVE, Isolation.SHARED, null, 0,
      null, null, null);
    Tenant same = new Tenant(UUID.randomUUID(), "same", "S", Tenant.Status.ACTIVE, Isolation.SHARED, null, 0,
      null, null, null);
    Map<UUID, Map<String, Object>> stored = new HashMap<>(Map.of(
      changed.id(), Map.of("locale", "de"), same.id(), Map.of("locale", "fr")));
    EffectiveConfigCache cache = new EffectiveConfigCache(CATALOG, ids -> {
      Map<UUID, Map<String, Object>> found = new HashMap<>();
      ids.forEach(id -> found.put(id, stored.getOrDefault(id, Map.of())));
      return Future.succeededFuture(found);
    }, Ancestors.NONE);
    assertThat(cache.of(changed).result().get("locale").value()).isEqualTo("de");
    assertThat(cache.of(same).result().get("locale").value()).isEqualTo("fr");

    stored.put(changed.id(), Map.of("locale", "it"));
    assertThat(cache.of(changed).result().get("locale").value()).as("cached until the refresh").isEqualTo("de");
    cache.refresh();
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.of(changed).result().get("locale").value()).isEqualTo("it");
    assertThat(cache.of(same).result().get("locale").value()).isEqualTo("fr");
  }

  @Test
  void userValuesOverrideOnlySettingsThatAllowThem() {
    Map<String, Resolved> tenant = ConfigResolver.resolve(CATALOG,
      List.of(new Level(Resolved.TENANT, Map.of("locale", "fr", "features.new_editor", true))));
    Map<String, Resolved> user = ConfigResolver.forUser(CATALOG, tenant,
      Map.of("locale", "it", "features.new_editor", false));
    assertThat(user.get("locale")).isEqualTo(new Resolved("it", "user"));
    assertThat(user.get("features.new_editor")).isEqualTo(new Resolved(true, "tenant"));
  }

  @Test
  void undeclaredKeysAreIgnored() {
    Map<String, Resolved> effective = ConfigResolver.resolve(CATALOG,
      List.of(new Level(Resolved.TENANT, Map.of("retired.setting", 1))));
    assertThat(effective).doesNotContainKey("retired.setting");
  }

  @Test
  void invalidValuesArePointedAt() {
    Setting colors = CATALOG.find("branding.colors").orElseThrow();
    assertThat(colors.check(new JsonObject().put("primary", "#112233").put("secondary", "blue")))
      .get().extracting(Setting.Invalid::pointer).isEqualTo("/secondary");
    Setting domains = CATALOG.find("users.allowed_email_domains").orElseThrow();
    assertThat(domains.check(new JsonArray().add("example.com").add("not a domain")))
      .get().extracting(Setting.Invalid::pointer).isEqualTo("/1");
    assertThat(domains.check(new JsonArray().add("example.com"))).isEmpty();
    Setting flag = CATALOG.find("features.beta_dashboard").orElseThrow();
    assertThat(flag.check(new JsonObject().put("percentage", 30))).isEmpty();
    assertThat(flag.check(new JsonObject().put("percentage", 130))).isPresent();
    assertThat(flag.check("yes")).isPresent();
  }

  @Test
  void aPercentageRolloutIsStablePerUserAndNearItsShare() {
    JsonObject thirty = new JsonObject().put("percentage", 30);
    List<UUID> users = IntStream.range(0, 2000).mapToObj(i -> UUID.randomUUID()).toList();
    long on = users.stream().filter(u -> FeatureRollout.enabled("features.beta_dashboard", thirty, u)).count();
    assertThat(on).isBetween(480L, 720L);
    for (UUID u : users.subList(0, 50)) {
      boolean first = FeatureRollout.enabled("features.beta_dashboard", thirty, u);
      assertThat(FeatureRollout.enabled("features.beta_dashboard", thirty, u)).isEqualTo(first);
      if (first) {
        assertThat(FeatureRollout.enabled("features.beta_dashboard", new JsonObject().put("percentage", 60), u)).isTrue();
      }
    }
    assertThat(FeatureRollout.enabled("features.x", new JsonObject().put("percentage", 0), users.get(0))).isFalse();
    assertThat(FeatureRollout.enabled("features.x", new JsonObject().put("percentage", 100), users.get(0))).isTrue();
  }
}
