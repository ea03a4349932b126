package io.tenantry.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The extension point for a tenant's stored files (being built separately): given the tenant, it spools its
 * parts under {@link BundleFormat#FILES_DIR} (metadata NDJSON, blobs) and, on import, writes them back. Until
 * storage plugs in, {@link #NONE} exports nothing and the manifest says so ({@code files.included: false}).
 */
public interface BundleFiles {
  BundleFiles NONE = new BundleFiles() {
    @Override
    public List<Manifest.Part> export(UUID tenantId, Path spoolDir, PartSink sink) {
      return List.of();
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

  /** Spools the tenant's files as bundle parts named under files/. Blocking; runs on the export workers. */
  List<Manifest.Part> export(UUID tenantId, Path spoolDir, PartSink sink) throws IOException;

  boolean included();
}
