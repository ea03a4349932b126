package io.tenantry.storage;

/** Metadata names a blob the backend does not have (removed behind the server's back): a server-side failure. */
final class BlobMissing extends RuntimeException {
  BlobMissing() {
    super("the file's bytes are missing from the store", null, false, false);
  }
}
