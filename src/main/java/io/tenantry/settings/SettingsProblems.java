package io.tenantry.settings;

import io.tenantry.http.Problem;

/** The problems of the configuration routes: an undeclared key, a value its schema refuses. */
final class SettingsProblems {
  private SettingsProblems() {
  }

  static Problem unknownKey(String key, SettingsCatalog catalog) {
    return Problem.notFound("no setting " + quoted(key) + "; the platform declares " + String.join(", ",
      catalog.all().keySet()) + " (GET /admin/v1/settings describes each)");
  }

  static Problem invalid(Setting setting, Setting.Invalid invalid) {
    String where = invalid.pointer().isEmpty() ? "the value" : "value" + invalid.pointer();
    return Problem.of(422, "invalid-setting", "Invalid setting value", setting.key() + ": " + where
      + " (pointer \"" + invalid.pointer() + "\"): " + invalid.message() + "; the setting's schema is at GET /admin/v1/settings");
  }

  static Problem notPerUser(Setting setting, SettingsCatalog catalog) {
    return Problem.forbidden(setting.key() + " is set per tenant, not per user; users may set "
      + String.join(", ", catalog.all().values().stream().filter(Setting::userLevel).map(Setting::key).toList()));
  }

  private static String quoted(String key) {
    String shown = key.length() > 100 ? key.substring(0, 100) + "..." : key;
    return "\"" + shown + "\"";
  }
}
