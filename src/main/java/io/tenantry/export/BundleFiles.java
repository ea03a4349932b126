package io.tenantry.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A tenant's stored files in a bundle: the metadata is spooled from the tier's snapshot as
 * {@link BundleFormat#FILES_INDEX}; this spools the bytes each line names as {@link BundleFormat#FILE_BLOBS} parts
 * ({@link StoredFiles}, from the server's blob store). {@link #NONE} (no storage) exports no files part at all and
 * the manifest says so ({@code files.included: false}).
 */
public interface BundleFiles {
  BundleFiles NONE = new BundleFiles() {
    @Override
    public long export(UUID tenantId, Path index, Path spoolDir, PartSink sink) {
      return 0;
    }

    @Override
    public boolean included() {
      return false;
    }
  };

  /** Adds a spooled file to the bundle. */
  interface PartSink {
    void add(String name, Path file, Manifest.Part described) throws IOException;
  }

  /**
   * Spools the blob of every file the spooled index lists, in its order, as one part each. Blocking; runs on the
   * export workers. Returns the bytes spooled.
   */
  long export(UUID tenantId, Path index, Path spoolDir, PartSink sink) throws IOException;

  boolean included();
}
