package io.tenantry.cli;

import io.tenantry.export.Sha256;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code tenants export|import}: a tenant's bundle out of one server and into another (docs/export-format.md). */
final class TransferCommands {
  private static final long POLL_MS = 1000;

  private final AdminClient client;
  private final PrintStream out;

  TransferCommands(AdminClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  /** Starts the export, follows it, downloads the bundle and checks it against the job's SHA-256. */
  int export(String slug, Path file, boolean passwordHashes) {
    JsonObject job = client.post("/admin/v1/tenants/" + slug + "/exports",
      new JsonObject().put("include_password_hashes", passwordHashes)).body();
    String self = "/admin/v1/tenants/" + slug + "/exports/" + job.getString("id");
    int shown = -1;
    while ("running".equals(job.getString("state"))) {
      if (job.getInteger("parts_done", 0) != shown) {
        shown = job.getInteger("parts_done", 0);
        out.println("exporting " + slug + ": " + shown + " part(s), " + job.getLong("records", 0L) + " record(s)");
      }
      sleep();
      job = client.get(self).body();
    }
    if (!"done".equals(job.getString("state"))) {
      throw CliException.failed("export of " + slug + " " + job.getString("state") + ": " + job.getString("error", "-"));
    }
    client.download(job.getString("bundle"), file);
    String sha;
    try {
      sha = Sha256.of(file);
    } catch (IOException e) {
      throw CliException.failed("cannot read back " + file + ": " + e.getMessage());
    }
    if (!sha.equals(job.getString("sha256"))) {
      throw CliException.failed("the downloaded bundle does not match its SHA-256 (" + job.getString("sha256")
        + "); download again");
    }
    out.println("exported " + slug + " to " + file + ": " + job.getLong("records") + " record(s), "
      + job.getLong("bytes") + " bytes, sha256 " + sha);
    return ExitCodes.OK;
  }

  int importBundle(Path file, String slug, String isolation, boolean replaceArchived) {
    if (!Files.isReadable(file)) {
      throw CliException.usage("cannot read " + file);
    }
    StringBuilder query = new StringBuilder();
    if (slug != null) {
      query.append("as=").append(AdminClient.encode(slug));
    }
    if (isolation != null) {
      query.append(query.isEmpty() ? "" : "&").append("isolation=").append(AdminClient.encode(isolation));
    }
    if (replaceArchived) {
      query.append(query.isEmpty() ? "" : "&").append("replace_archived=true");
    }
    JsonObject tenant = client.upload("/admin/v1/imports" + (query.isEmpty() ? "" : "?" + query), file,
      "application/x-tar").body();
    out.println("imported " + tenant.getString("slug") + " (" + tenant.getString("id") + ", "
      + tenant.getString("isolation") + ") from " + file);
    return ExitCodes.OK;
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
  }
}
