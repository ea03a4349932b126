package io.tenantry.storage;

import io.tenantry.config.Config;
import io.tenantry.support.Await;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.UUID;

/** Test support for other packages: what an S3 store holds for a tenant, listed by the backend's own client. */
public final class S3Keys {
  private S3Keys() {
  }

  /** The keys under {@code <prefix>/<tenant id>/} (ListObjectsV2). */
  public static List<String> of(Vertx vertx, String endpoint, String bucket, String key, String prefix, UUID tenant) {
    S3BlobStore store = new S3BlobStore(vertx, new Config.S3Settings(endpoint, "us-east-1", bucket, key, key, true, prefix));
    try {
      return Await.result(store.keys(tenant), 30);
    } finally {
      Await.result(store.close(), 10);
    }
  }
}
