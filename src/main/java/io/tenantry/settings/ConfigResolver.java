package io.tenantry.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Effective values: the platform default, overridden by each level in order (ancestors root first, then the
 * tenant), and then by the user's own values for the settings that take them. Pure; values of undeclared keys
 * (a setting the platform no longer ships) are ignored.
 */
public final class ConfigResolver {
  private ConfigResolver() {
  }

  /** @param levels ancestors (root first, nearest last), then the tenant */
  public static Map<String, Resolved> resolve(SettingsCatalog catalog, List<Level> levels) {
    Map<String, Resolved> effective = new LinkedHashMap<>();
    catalog.all().forEach((key, setting) -> effective.put(key, new Resolved(setting.defaultValue(), Resolved.PLATFORM)));
    for (Level level : levels) {
      apply(effective, catalog, level, false);
    }
    return Collections.unmodifiableMap(effective);
  }

  /** The tenant's effective values with the user's own on top, where the setting allows user values. */
  public static Map<String, Resolved> forUser(SettingsCatalog catalog, Map<String, Resolved> tenant,
                                              Map<String, Object> userValues) {
    if (userValues.isEmpty()) {
      return tenant;
    }
    Map<String, Resolved> effective = new LinkedHashMap<>(tenant);
    apply(effective, catalog, new Level(Resolved.USER, userValues), true);
    return Collections.unmodifiableMap(effective);
  }

  private static void apply(Map<String, Resolved> effective, SettingsCatalog catalog, Level level, boolean userOnly) {
    level.values().forEach((key, value) -> catalog.find(key)
      .filter(setting -> !userOnly || setting.userLevel())
      .ifPresent(setting -> effective.put(key, new Resolved(value, level.source()))));
  }
}
