package io.tenantry.storage;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SigV4 against the examples AWS publishes with their inputs and signatures: the general signing guide's IAM
 * ListUsers request, and the S3 API reference's header-signed GET Object, PUT Object and GET Bucket (list) requests.
 */
class SigV4Test {
  private static final String S3_KEY = "AKIAIOSFODNN7EXAMPLE";
  private static final String S3_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @Test
  void theGeneralGuidesIamExample() {
    SigV4 signer = new SigV4("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "iam");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    headers.put("Host", "iam.amazonaws.com");
    headers.put("X-Amz-Date", "20150830T123600Z");
    String auth = signer.authorization("GET", "/", "Action=ListUsers&Version=2010-05-08", headers, SigV4.EMPTY_SHA256,
      "20150830T123600Z");
    assertThat(auth).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      + "SignedHeaders=content-type;host;x-amz-date, "
      + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  }

  @Test
  void theS3ReferencesGetObjectExample() {
    SigV4 signer = new SigV4(S3_KEY, S3_SECRET, "us-east-1", "s3");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "examplebucket.s3.amazonaws.com");
    headers.put("Range", "bytes=0-9");
    headers.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
    headers.put("x-amz-date", "20130524T000000Z");
    assertThat(signer.authorization("GET", "/test.txt", "", headers, SigV4.EMPTY_SHA256, "20130524T000000Z"))
      .isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  @Test
  void theS3ReferencesPutObjectExample() {
    SigV4 signer = new SigV4(S3_KEY, S3_SECRET, "us-east-1", "s3");
    String payload = SigV4.sha256Hex("Welcome to Amazon S3.");
    assertThat(payload).isEqualTo("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "examplebucket.s3.amazonaws.com");
    headers.put("Date", "Fri, 24 May 2013 00:00:00 GMT");
    headers.put("x-amz-date", "20130524T000000Z");
    headers.put("x-amz-storage-class", "REDUCED_REDUNDANCY");
    headers.put("x-amz-content-sha256", payload);
    assertThat(signer.authorization("PUT", "/" + SigV4.uriEncode("test$file.text", true), "", headers, payload,
      "20130524T000000Z"))
      .isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
        + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  }

  @Test
  void theS3ReferencesListObjectsExample() {
    SigV4 signer = new SigV4(S3_KEY, S3_SECRET, "us-east-1", "s3");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "examplebucket.s3.amazonaws.com");
    headers.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
    headers.put("x-amz-date", "20130524T000000Z");
    assertThat(signer.authorization("GET", "/", "max-keys=2&prefix=J", headers, SigV4.EMPTY_SHA256, "20130524T000000Z"))
      .endsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  }

  @Test
  void encodingKeepsUnreservedCharactersAndSlashesOnlyWhenAsked() {
    assertThat(SigV4.uriEncode("a-b_c.d~e/f g$é", true)).isEqualTo("a-b_c.d~e/f%20g%24%C3%A9");
    assertThat(SigV4.uriEncode("a/b=c", false)).isEqualTo("a%2Fb%3Dc");
    assertThat(SigV4.sha256Hex("")).isEqualTo(SigV4.EMPTY_SHA256);
  }
}
