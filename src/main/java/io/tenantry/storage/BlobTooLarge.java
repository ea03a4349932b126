package io.tenantry.storage;

/** An upload went beyond what its reservation allows: refused with 413, nothing kept. */
final class BlobTooLarge extends RuntimeException {
  BlobTooLarge() {
    super("the upload exceeds the storage quota", null, false, false);
  }
}
