package io.tenantry.cli;

/**
 * One change to one tenant, as printed (one line each): {@code +} adds, {@code ~} changes, {@code -} removes,
 * {@code !} cannot be made (not supported, or refused before it was tried). {@code step} makes it; null when it
 * cannot be made.
 */
record Change(String slug, char symbol, String text, Step step, boolean creates) {
  interface Step {
    AdminClient.Answer run(AdminClient client);
  }

  static Change of(String slug, char symbol, String text, Step step) {
    return new Change(slug, symbol, text, step, false);
  }

  static Change create(String slug, String text, Step step) {
    return new Change(slug, '+', text, step, true);
  }

  static Change unsupported(String slug, String text) {
    return new Change(slug, '!', text, null, false);
  }

  /** A tenant that cannot be created: what depends on it is skipped. */
  static Change unsupportedCreation(String slug, String text) {
    return new Change(slug, '!', text, null, true);
  }

  String line() {
    return symbol + " " + text;
  }
}
