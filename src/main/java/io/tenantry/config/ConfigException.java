package io.tenantry.config;

/** Bad or missing configuration: reported as one line naming the key, exit code 2. */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The single line printed to the operator. */
  public String oneLine() {
    return "configuration error: " + key + " (" + ConfigLoader.envName(key) + "): " + getMessage();
  }
}
