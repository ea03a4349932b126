package io.tenantry.storage;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** ListMultipartUploads answers as the S3 API reference documents them, read into pages. */
class MultipartListingTest {
  /** The API reference's sample response to ListMultipartUploads with max-uploads=3: a truncated page. */
  static final String AWS_SAMPLE = """
    <?xml version="1.0" encoding="UTF-8"?>
    <ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
      <Bucket>bucket</Bucket>
      <KeyMarker></KeyMarker>
      <UploadIdMarker></UploadIdMarker>
      <NextKeyMarker>my-movie.m2ts</NextKeyMarker>
      <NextUploadIdMarker>YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ</NextUploadIdMarker>
      <MaxUploads>3</MaxUploads>
      <IsTruncated>true</IsTruncated>
      <Upload>
        <Key>my-divisor</Key>
        <UploadId>XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw</UploadId>
        <Initiator>
          <ID>arn:aws:iam::111122223333:user/user1-11111a31-17b5-4fb7-9df5-b111111f13de</ID>
          <DisplayName>user1-11111a31-17b5-4fb7-9df5-b111111f13de</DisplayName>
        </Initiator>
        <Owner>
          <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
          <DisplayName>OwnerDisplayName</DisplayName>
        </Owner>
        <StorageClass>STANDARD</StorageClass>
        <Initiated>2010-11-10T20:48:33.000Z</Initiated>
      </Upload>
      <Upload>
        <Key>my-movie.m2ts</Key>
        <UploadId>VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
        <Initiator>
          <ID>b1d16700c70b0b05597d7acd6a3f92be</ID>
          <DisplayName>InitiatorDisplayName</DisplayName>
        </Initiator>
        <Owner>
          <ID>b1d16700c70b0b05597d7acd6a3f92be</ID>
          <DisplayName>OwnerDisplayName</DisplayName>
        </Owner>
        <StorageClass>STANDARD</StorageClass>
        <Initiated>2010-11-10T20:48:33.000Z</Initiated>
      </Upload>
      <Upload>
        <Key>my-movie.m2ts</Key>
        <UploadId>YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ</UploadId>
        <Initiator>
          <ID>arn:aws:iam::444455556666:user/user1-22222a31-17b5-4fb7-9df5-b222222f13de</ID>
          <DisplayName>user1-22222a31-17b5-4fb7-9df5-b222222f13de</DisplayName>
        </Initiator>
        <Owner>
          <ID>b1d16700c70b0b05597d7acd6a3f92be</ID>
          <DisplayName>OwnerDisplayName</DisplayName>
        </Owner>
        <StorageClass>STANDARD</StorageClass>
        <Initiated>2010-11-10T20:49:33.000Z</Initiated>
      </Upload>
    </ListMultipartUploadsResult>
    """;

  /** Shaped like the reference's prefix-and-delimiter sample: common prefixes, no upload, not truncated. */
  static final String AWS_SAMPLE_WITH_PREFIX = """
    <?xml version="1.0" encoding="UTF-8"?>
    <ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
      <Bucket>example-bucket</Bucket>
      <KeyMarker/>
      <UploadIdMarker/>
      <NextKeyMarker>sample.jpg</NextKeyMarker>
      <NextUploadIdMarker>VXBsb2FkIElEIGZvciBzYW1wbGUuanBn</NextUploadIdMarker>
      <Delimiter>/</Delimiter>
      <Prefix>photos/2006/</Prefix>
      <MaxUploads>1000</MaxUploads>
      <IsTruncated>false</IsTruncated>
      <CommonPrefixes>
        <Prefix>photos/2006/February/</Prefix>
      </CommonPrefixes>
      <CommonPrefixes>
        <Prefix>photos/2006/January/</Prefix>
      </CommonPrefixes>
      <CommonPrefixes>
        <Prefix>photos/2006/March/</Prefix>
      </CommonPrefixes>
    </ListMultipartUploadsResult>
    """;

  @Test
  void theDocumentedSampleGivesItsThreeUploadsAndTheNextMarkers() {
    MultipartListing.Page page = MultipartListing.parse(AWS_SAMPLE);
    assertThat(page.uploads()).containsExactly(
      new MultipartListing.Upload("my-divisor", "XMgbGlrZSBlbHZpbmcncyBub3QgaGF2aW5nIG11Y2ggbHVjaw",
        Instant.parse("2010-11-10T20:48:33Z")),
      new MultipartListing.Upload("my-movie.m2ts", "VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA",
        Instant.parse("2010-11-10T20:48:33Z")),
      new MultipartListing.Upload("my-movie.m2ts", "YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ",
        Instant.parse("2010-11-10T20:49:33Z")));
    assertThat(page.truncated()).isTrue();
    assertThat(page.nextKeyMarker()).isEqualTo("my-movie.m2ts");
    assertThat(page.nextUploadIdMarker()).isEqualTo("YW55IGlkZWEgd2h5IGVsdmluZydzIHVwbG9hZCBmYWlsZWQ");
  }

  @Test
  void commonPrefixesAreNoUploadsAndAnUntruncatedPageEndsTheListing() {
    MultipartListing.Page page = MultipartListing.parse(AWS_SAMPLE_WITH_PREFIX);
    assertThat(page.uploads()).isEmpty();
    assertThat(page.truncated()).isFalse();
  }

  @Test
  void escapedKeysAreReadBackAndAnUnreadableDateIsNoDate() {
    MultipartListing.Page page = MultipartListing.parse("<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>"
      + "<Upload><Key>a&amp;b&lt;c</Key><UploadId>id&quot;1</UploadId><Initiated>yesterday</Initiated></Upload>"
      + "<Upload><Key>no-id</Key><Initiated>2010-11-10T20:48:33.000Z</Initiated></Upload>"
      + "</ListMultipartUploadsResult>");
    assertThat(page.uploads()).containsExactly(new MultipartListing.Upload("a&b<c", "id\"1", null));
    assertThat(page.nextKeyMarker()).isEmpty();
  }
}
