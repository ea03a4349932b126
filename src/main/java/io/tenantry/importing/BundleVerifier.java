package io.tenantry.importing;

import io.tenantry.export.BundleFormat;
import io.tenantry.export.Manifest;
import io.tenantry.export.Sha256;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a whole bundle before anything of it is written: a tar whose first entry is a manifest of the format
 * version this server reads, then exactly the parts it lists, in the order of docs/export-format.md, each with
 * its size, SHA-256 and item count. Blocking (reads the file); import workers only.
 */
final class BundleVerifier {
  private static final long MAX_MANIFEST = 16L << 20;

  private BundleVerifier() {
  }

  /**
   * @param maxDepth how deep a document of an NDJSON part may nest ({@code http.json-max-depth}; see {@link StrictLines})
   * @return the verified manifest; throws a 422 problem (see {@link BundleRefused}) otherwise
   */
  static Manifest verify(Path bundle, int maxDepth) {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(bundle), 1 << 16))) {
      Manifest manifest = manifest(tar);
      checkOrder(manifest);
      Set<String> seen = new HashSet<>();
      FileParts files = new FileParts();
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        Manifest.Part part = manifest.part(entry.getName());
        if (part == null || !entry.isFile()) {
          throw BundleRefused.because("entry " + entry.getName() + " is not a part the manifest lists");
        }
        if (!seen.add(part.name())) {
          throw BundleRefused.because("part " + part.name() + " appears twice");
        }
        Counting in = new Counting(tar);
        String sha = part.name().equals(BundleFormat.FILES_INDEX) ? BundleLines.read(in, files::index)
          : part.name().endsWith(".ndjson") ? BundleLines.read(in, new StrictLines(part.name(), maxDepth))
          : Sha256.of(in);
        if (in.bytes != part.bytes() || entry.getSize() != part.bytes()) {
          throw BundleRefused.because("part " + part.name() + " has " + in.bytes + " bytes, the manifest says " + part.bytes()
            + " (truncated or altered)");
        }
        if (!sha.equals(part.sha256())) {
          throw BundleRefused.because("part " + part.name() + " does not match its SHA-256 in the manifest (altered or corrupted)");
        }
        if (part.name().endsWith(".ndjson") && in.newlines != part.count()) {
          throw BundleRefused.because("part " + part.name() + " has " + in.newlines + " lines, the manifest says " + part.count());
        }
        String blob = BundleFormat.blobOf(part.name());
        if (blob != null) {
          files.blob(blob, sha, in.bytes);
        }
      }
      files.check();
      if (seen.size() != manifest.parts().size()) {
        List<String> missing = new ArrayList<>();
        manifest.parts().forEach(p -> {
          if (!seen.contains(p.name())) {
            missing.add(p.name());
          }
        });
        throw BundleRefused.because("parts missing (truncated bundle?): " + String.join(", ", missing));
      }
      return manifest;
    } catch (IOException e) {
      throw BundleRefused.because("not a readable tar (" + (e.getMessage() == null ? e.toString() : e.getMessage()) + ")");
    }
  }

  private static Manifest manifest(TarArchiveInputStream tar) throws IOException {
    TarArchiveEntry first = tar.getNextEntry();
    if (first == null || !first.getName().equals(BundleFormat.MANIFEST)) {
      throw BundleRefused.because("the first entry must be " + BundleFormat.MANIFEST);
    }
    if (first.getSize() > MAX_MANIFEST) {
      throw BundleRefused.because("the manifest is larger than 16 MiB");
    }
    try {
      return Manifest.parse(new JsonObject(Buffer.buffer(tar.readAllBytes())));
    } catch (DecodeException | ClassCastException e) {
      throw BundleRefused.because("the manifest is not a JSON object");
    } catch (IllegalArgumentException | NullPointerException e) {
      throw BundleRefused.because(e.getMessage() == null ? "the manifest is incomplete" : e.getMessage());
    }
  }

  /**
   * The platform parts first in their order (then the indexes part, which bundles before version 3 lack), then
   * records, then audit, then files: the importer relies on it.
   */
  private static void checkOrder(Manifest manifest) {
    List<Manifest.Part> parts = manifest.parts();
    int fixed = BundleFormat.PLATFORM_PARTS.size();
    if (parts.size() < fixed + BundleFormat.AUDIT_PARTS.size()) {
      throw BundleRefused.because("the manifest lists " + parts.size() + " parts; a bundle has at least "
        + (fixed + BundleFormat.AUDIT_PARTS.size()));
    }
    for (int i = 0; i < fixed; i++) {
      if (!parts.get(i).name().equals(BundleFormat.PLATFORM_PARTS.get(i))) {
        throw BundleRefused.because("part " + (i + 1) + " must be " + BundleFormat.PLATFORM_PARTS.get(i));
      }
    }
    int i = fixed;
    if (i < parts.size() && parts.get(i).name().equals(BundleFormat.INDEXES)) {
      i++;
    }
    while (i < parts.size() && BundleFormat.collectionOf(parts.get(i).name()) != null) {
      i++;
    }
    for (String audit : BundleFormat.AUDIT_PARTS) {
      if (i >= parts.size() || !parts.get(i).name().equals(audit)) {
        throw BundleRefused.because("expected part " + audit + " after the records parts");
      }
      i++;
    }
    if (i < parts.size() && !parts.get(i).name().equals(BundleFormat.FILES_INDEX)) {
      throw BundleRefused.because("unexpected part " + parts.get(i).name() + " (after the audit parts: "
        + BundleFormat.FILES_INDEX + ", then the files' blobs)");
    }
    for (i++; i < parts.size(); i++) {
      if (BundleFormat.blobOf(parts.get(i).name()) == null) {
        throw BundleRefused.because("unexpected part " + parts.get(i).name() + " (a file's blob is "
          + BundleFormat.FILE_BLOBS + "<32 hex digits>)");
      }
    }
    if (parts.get(0).count() != 1) {
      throw BundleRefused.because(BundleFormat.TENANT + " must hold one tenant");
    }
  }

  /**
   * The files parts agree with each other: every file the index lists has its blob part, of the size and SHA-256 the
   * index says, and every blob part belongs to a file. Holds one small entry per file.
   */
  private static final class FileParts {
    private final java.util.Map<String, String> expected = new java.util.HashMap<>();
    private final java.util.Map<String, String> found = new java.util.HashMap<>();

    /** One line of the index part. */
    void index(int n, String line) {
      JsonObject file = BundleLines.object(BundleFormat.FILES_INDEX, n, line);
      String blob = file.getString("blob");
      Object size = file.getValue("size");
      String digest = file.getString("sha256");
      if (file.getString("path") == null || blob == null || !BundleFormat.BLOB.matcher(blob).matches()
        || !(size instanceof Number) || digest == null || !digest.matches("[0-9a-f]{64}")) {
        throw BundleRefused.because(BundleFormat.FILES_INDEX + " line " + n + " needs path, blob (32 hex digits), "
          + "size and sha256 (64 hex digits)");
      }
      if (expected.put(blob, digest + "/" + ((Number) size).longValue()) != null) {
        throw BundleRefused.because(BundleFormat.FILES_INDEX + " names blob " + blob + " twice");
      }
    }

    void blob(String name, String sha, long bytes) {
      found.put(name, sha + "/" + bytes);
    }

    void check() {
      for (var e : expected.entrySet()) {
        String there = found.get(e.getKey());
        if (!e.getValue().equals(there)) {
          throw BundleRefused.because(there == null ? "the bytes of blob " + e.getKey() + " (named by "
            + BundleFormat.FILES_INDEX + ") are missing" : "blob " + e.getKey() + " differs from its size or SHA-256 in "
            + BundleFormat.FILES_INDEX);
        }
      }
      for (String name : found.keySet()) {
        if (!expected.containsKey(name)) {
          throw BundleRefused.because("blob " + name + " belongs to no file of " + BundleFormat.FILES_INDEX);
        }
      }
    }
  }

  /** Counts what passes through, and stops at the entry's end (the tar stream's read returns -1 there). */
  private static final class Counting extends FilterInputStream {
    long bytes;
    long newlines;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        bytes += n;
        for (int i = off; i < off + n; i++) {
          if (b[i] == '\n') {
            newlines++;
          }
        }
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        bytes++;
        if (b == '\n') {
          newlines++;
        }
      }
      return b;
    }

    @Override
    public void close() {
      // the tar stream stays open for the next entry
    }
  }
}
