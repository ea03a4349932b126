package io.tenantry.storage;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server whose S3 store holds multipart uploads a crashed node left: its own sweeper (every node, every
 * storage.sweep-interval-ms) aborts those initiated more than storage.pending-ttl-seconds ago and keeps the younger
 * ones. The store is {@link S3UploadsStandIn}: s3rver 3.7.1 lists no multipart uploads.
 */
class S3UploadSweepTest {
  @Test
  void theSweeperAbortsUploadsOlderThanThePendingTtlAndKeepsTheYoungerOnes() {
    Vertx standInVertx = Vertx.vertx();
    S3UploadsStandIn s3 = new S3UploadsStandIn(standInVertx, "swept");
    try {
      String stale = s3.leave("t/" + UUID.randomUUID() + "/" + Blobs.newName(), Instant.now().minus(Duration.ofHours(2)));
      String fresh = s3.leave("t/" + UUID.randomUUID() + "/" + Blobs.newName(), Instant.now());
      try (TestServer ts = TestServer.start(Map.of("storage.s3.endpoint", s3.endpoint(), "storage.s3.bucket", "swept",
        "storage.s3.access-key", "key", "storage.s3.secret-key", "secret", "storage.s3.prefix", "t",
        "storage.pending-ttl-seconds", "3600", "storage.sweep-interval-ms", "200", "db.connect-timeout-ms", "30000"))) {
        Eventually.within(Duration.ofSeconds(30), "the stale upload aborted", () -> s3.aborted.contains(stale));
        int passes = s3.listings.size();
        Eventually.within(Duration.ofSeconds(30), "three more passes", () -> s3.listings.size() >= passes + 3);
        assertThat(s3.inProgress()).extracting(S3UploadsStandIn.Upload::uploadId).containsExactly(fresh);
        assertThat(s3.aborted).containsExactly(stale);
        assertThat(s3.listings).allSatisfy(query -> assertThat(query.getString("prefix")).isEqualTo("t/"));
      }
    } finally {
      s3.close();
      Await.result(standInVertx.close(), 10);
    }
  }
}
