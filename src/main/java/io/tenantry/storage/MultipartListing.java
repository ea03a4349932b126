package io.tenantry.storage;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page of S3's ListMultipartUploads answer ({@code GET /?uploads}): the uploads in progress, and where the next
 * page starts. Read with patterns, as the other S3 answers are: the elements are flat and known, and no XML parser
 * means no entity expansion to guard against.
 */
final class MultipartListing {
  // "<Upload>" with its '>' so that <UploadId> and <UploadIdMarker> never open a block
  private static final Pattern UPLOAD = Pattern.compile("<Upload>(.*?)</Upload>", Pattern.DOTALL);
  private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
  private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]*)</UploadId>");
  private static final Pattern INITIATED = Pattern.compile("<Initiated>([^<]*)</Initiated>");
  private static final Pattern NEXT_KEY = Pattern.compile("<NextKeyMarker>([^<]*)</NextKeyMarker>");
  private static final Pattern NEXT_UPLOAD_ID = Pattern.compile("<NextUploadIdMarker>([^<]*)</NextUploadIdMarker>");
  private static final Pattern TRUNCATED = Pattern.compile("<IsTruncated>\\s*true\\s*</IsTruncated>");

  /** An upload in progress; {@code initiated} is null when the store gave no date that parses. */
  record Upload(String key, String uploadId, Instant initiated) {
  }

  /** @param nextKeyMarker empty when the store named none */
  record Page(List<Upload> uploads, boolean truncated, String nextKeyMarker, String nextUploadIdMarker) {
  }

  private MultipartListing() {
  }

  static Page parse(String xml) {
    List<Upload> uploads = new ArrayList<>();
    Matcher blocks = UPLOAD.matcher(xml);
    while (blocks.find()) {
      String block = blocks.group(1);
      String key = first(KEY, block);
      String uploadId = first(UPLOAD_ID, block);
      if (!key.isEmpty() && !uploadId.isEmpty()) {
        uploads.add(new Upload(key, uploadId, instant(first(INITIATED, block))));
      }
    }
    // the markers sit outside every <Upload> block, so searching the whole text finds only them
    return new Page(uploads, TRUNCATED.matcher(xml).find(), first(NEXT_KEY, xml), first(NEXT_UPLOAD_ID, xml));
  }

  private static String first(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? S3BlobStore.unescape(m.group(1)) : "";
  }

  private static Instant instant(String text) {
    try {
      return text.isBlank() ? null : Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
