package io.tenantry.export;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The format versions a reader accepts, and the names of the files parts. */
class BundleFormatTest {
  private static JsonObject manifest(Object version) {
    return new JsonObject().put("format", BundleFormat.FORMAT).put("format_version", version)
      .put("source_installation", UUID.randomUUID().toString()).put("created_at", "2026-11-30T20:00:00Z")
      .put("tenant", new JsonObject().put("id", UUID.randomUUID().toString()).put("slug", "acme"))
      .put("parts", new JsonArray());
  }

  @Test
  void versionsOneToThreeAreRead() {
    assertThat(Manifest.parse(manifest(1)).formatVersion()).isEqualTo(1);
    assertThat(Manifest.parse(manifest(2)).formatVersion()).isEqualTo(2);
    assertThat(Manifest.parse(manifest(3)).formatVersion()).isEqualTo(3);
    assertThat(Manifest.parse(manifest(1)).files()).isEqualTo(new JsonObject());
  }

  @Test
  void otherVersionsAreRefusedNamingWhatIsRead() {
    for (Object version : new Object[] {0, 4, 1.5, "2"}) {
      assertThatThrownBy(() -> Manifest.parse(manifest(version))).as(String.valueOf(version))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reads versions 1 to 3");
    }
  }

  @Test
  void blobPartsAreNamedByTheServerMadeNameOnly() {
    String name = "0123456789abcdef0123456789abcdef";
    assertThat(BundleFormat.blob(name)).isEqualTo("files/blobs/" + name);
    assertThat(BundleFormat.blobOf("files/blobs/" + name)).isEqualTo(name);
    assertThat(BundleFormat.blobOf("files/blobs/../../etc/passwd")).isNull();
    assertThat(BundleFormat.blobOf("files/blobs/" + name.toUpperCase())).isNull();
    assertThat(BundleFormat.blobOf(BundleFormat.FILES_INDEX)).isNull();
    assertThatThrownBy(() -> BundleFormat.blob("x/../y")).isInstanceOf(IllegalArgumentException.class);
  }
}
