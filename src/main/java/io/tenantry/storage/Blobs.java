package io.tenantry.storage;

import java.util.UUID;
import java.util.regex.Pattern;

/** Blob names: random, made by the server, 32 lowercase hex digits (what the metadata tables' CHECK accepts). */
final class Blobs {
  static final Pattern NAME = Pattern.compile("[0-9a-f]{32}");

  private Blobs() {
  }

  static String newName() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Every backend checks a name before using it: nothing but this form ever reaches a path or a key. */
  static String checked(String blob) {
    if (blob == null || !NAME.matcher(blob).matches()) {
      throw new IllegalArgumentException("not a blob name");
    }
    return blob;
  }
}
