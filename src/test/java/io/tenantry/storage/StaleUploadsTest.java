package io.tenantry.storage;

import io.tenantry.config.Config;
import io.tenantry.support.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep of multipart uploads a crashed node left, against {@link S3UploadsStandIn} (s3rver 3.7.1 lists no
 * multipart uploads and aborts none: {@code S3FileStorageTest} checks that against s3rver itself): stale uploads of the
 * store's own keys are aborted page after page, fresh ones and keys it does not make are kept, and a failure is
 * logged, never thrown.
 */
class StaleUploadsTest {
  private static final String BUCKET = "swept";
  private static final Duration TTL = Duration.ofHours(1);
  private Vertx vertx;
  private S3UploadsStandIn s3;
  private S3BlobStore store;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    s3 = new S3UploadsStandIn(vertx, BUCKET);
    store = new S3BlobStore(vertx, new Config.S3Settings(s3.endpoint(), "us-east-1", BUCKET, "key", "secret", true, "t"));
  }

  @AfterEach
  void stop() {
    s3.close();
    Await.result(vertx.close(), 10);
  }

  private static String ownKey() {
    return "t/" + UUID.randomUUID() + "/" + Blobs.newName();
  }

  private int sweep() {
    return Await.result(store.abortUploadsInitiatedBefore(Instant.now().minus(TTL)), 30);
  }

  @Test
  void anUploadLeftWithAPartIsAbortedOnceOlderThanTheTtlAndAFreshOneStays() {
    S3Client client = new S3Client(vertx, new Config.S3Settings(s3.endpoint(), "us-east-1", BUCKET, "key", "secret",
      true, "t"));
    String key = ownKey();
    String left = Await.result(client.call(HttpMethod.POST, key, Map.of("uploads", ""), Map.of(), null), 10).body().toString();
    Matcher id = Pattern.compile("<UploadId>([^<]*)</UploadId>").matcher(left);
    assertThat(id.find()).isTrue();
    Await.result(client.call(HttpMethod.PUT, key, Map.of("partNumber", "1", "uploadId", id.group(1)), Map.of(),
      Buffer.buffer(new byte[1024])), 10);
    Await.result(client.close(), 10);

    assertThat(sweep()).as("younger than the TTL").isZero();
    assertThat(s3.inProgress()).hasSize(1);
    // a TTL of 0: every upload initiated before now is stale
    assertThat(Await.result(store.abortUploadsInitiatedBefore(Instant.now().plusSeconds(1)), 30)).isEqualTo(1);
    assertThat(s3.inProgress()).isEmpty();
    assertThat(s3.aborted).containsExactly(id.group(1));
    assertThat(s3.listings).allSatisfy(query -> assertThat(query.getString("prefix")).isEqualTo("t/"));
  }

  @Test
  void everyPageIsReadAndOnlyStaleUploadsOfTheStoresOwnKeysAreAborted() {
    s3.maxUploads = 2;
    Instant old = Instant.now().minus(TTL).minusSeconds(60);
    String shared = ownKey();
    String stale1 = s3.leave(shared, old);
    String fresh = s3.leave(shared, Instant.now());
    String stale2 = s3.leave(ownKey(), old);
    String stale3 = s3.leave(ownKey(), old.minusSeconds(3600));
    String foreign = s3.leave("t/someone-elses/report.pdf", old);
    String outside = s3.leave("u/" + UUID.randomUUID() + "/" + Blobs.newName(), old);

    assertThat(sweep()).isEqualTo(3);
    assertThat(s3.aborted).containsExactlyInAnyOrder(stale1, stale2, stale3);
    assertThat(s3.inProgress()).extracting(S3UploadsStandIn.Upload::uploadId).containsExactlyInAnyOrder(fresh, foreign, outside);
    assertThat(s3.listings.size()).as("pages of two").isGreaterThanOrEqualTo(3);
    assertThat(s3.listings.get(0).containsKey("key-marker")).isFalse();
    assertThat(s3.listings.subList(1, s3.listings.size())).allSatisfy(query -> {
      assertThat(query.getString("key-marker")).isNotEmpty();
      assertThat(query.getString("upload-id-marker")).isNotEmpty();
    });
  }

  @Test
  void anAbortThatFailsIsLoggedAndTheOthersGoOn() {
    Instant old = Instant.now().minus(TTL).minusSeconds(60);
    String failing = s3.leave(ownKey(), old);
    String other = s3.leave(ownKey(), old);
    s3.failingAborts.add(failing);
    assertThat(sweep()).isEqualTo(1);
    assertThat(s3.aborted).containsExactly(other);
    s3.failingAborts.clear();
    assertThat(sweep()).as("the next pass tries again").isEqualTo(1);
    assertThat(s3.inProgress()).isEmpty();
  }

  @Test
  void aListingThatFailsIsLoggedAndAskedAgainNextPass() {
    s3.listingStatus = 503;
    s3.listingCode = "SlowDown";
    s3.leave(ownKey(), Instant.now().minus(TTL).minusSeconds(60));
    assertThat(sweep()).isZero();
    s3.listingStatus = 0;
    assertThat(sweep()).isEqualTo(1);
    assertThat(s3.listings).as("the failed pass asked as often as the client retries, the next once")
      .hasSize(S3Client.ATTEMPTS + 1);
  }

  @Test
  void aStoreThatCannotListMultipartUploadsIsAskedOnceOnly() {
    s3.listingStatus = 501;
    s3.listingCode = "NotImplemented";
    assertThat(sweep()).isZero();
    assertThat(sweep()).isZero();
    assertThat(s3.listings).hasSize(1);
  }
}
