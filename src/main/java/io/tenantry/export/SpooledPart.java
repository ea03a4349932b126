package io.tenantry.export;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One part written to a file of its own while its SHA-256, size and line count are taken on the way: a tar entry's
 * header needs its size before its content, and the manifest (first in the bundle) needs every part's checksum, so
 * parts are spooled to disk rather than held in memory.
 */
final class SpooledPart implements AutoCloseable {
  final String name;
  final Path file;
  private final MessageDigest sha;
  private final Counting counting;
  private final OutputStream out;

  SpooledPart(String name, Path dir) throws IOException {
    this.name = name;
    this.file = Files.createTempFile(dir, "part-", ".spool");
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    this.counting = new Counting(new DigestOutputStream(Files.newOutputStream(file), sha));
    this.out = new BufferedOutputStream(counting, 1 << 16);
  }

  /** Where the part's bytes go. */
  OutputStream stream() {
    return out;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  Manifest.Part describe(long count) {
    return new Manifest.Part(name, HexFormat.of().formatHex(sha.digest()), counting.bytes, count);
  }

  /** Lines in a spooled NDJSON part (each item ends with a newline). */
  long lines() {
    return counting.newlines;
  }

  private static final class Counting extends FilterOutputStream {
    long bytes;
    long newlines;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      bytes++;
      if (b == '\n') {
        newlines++;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes += len;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          newlines++;
        }
      }
    }
  }
}
