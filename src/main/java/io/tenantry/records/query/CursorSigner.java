package io.tenantry.records.query;

import io.tenantry.http.Problem;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signs and checks record-list cursors with HMAC-SHA256. The key is derived (HKDF-SHA256, RFC 5869) from the JWT
 * signing key every node already holds, so no secret has to be configured and every node of a cluster accepts the
 * others' cursors; rotating the JWT key invalidates outstanding cursors (a client starts its list again).
 *
 * <p>A cursor is {@code base64url(payload) "." base64url(mac)}; the mac covers the payload and the scope (tenant id,
 * collection, sort and filters), which is not in the payload: a cursor presented with any other scope fails the
 * check, as does any altered byte.
 */
public final class CursorSigner {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String INVALID = "the cursor is not valid for this list (it belongs to another collection, "
    + "sort or filter, or was altered); start again without it";
  /**
   * Keyed once; every signature works on a clone, which copies its keyed state (looking the algorithm up and keying
   * a new instance cost a list page about 5 µs). Never used itself, so concurrent clones read a state nobody writes.
   */
  private final Mac keyed;

  public CursorSigner(byte[] keyMaterial) {
    byte[] key = hkdf(keyMaterial, "tenantry-records-cursor-v1".getBytes(StandardCharsets.UTF_8), 32);
    try {
      keyed = Mac.getInstance("HmacSHA256");
      keyed.init(new SecretKeySpec(key, "HmacSHA256"));
      keyed.clone(); // fails now, not on a request, if this provider's HMAC cannot be cloned
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  public String sign(String scope, JsonObject payload) {
    byte[] body = payload.encode().getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(scope, body));
  }

  public JsonObject verify(String scope, String cursor) {
    int dot = cursor.indexOf('.');
    if (dot < 1 || cursor.length() > 4_000) {
      throw Problem.badRequest(INVALID);
    }
    try {
      byte[] body = DECODER.decode(cursor.substring(0, dot));
      byte[] mac = DECODER.decode(cursor.substring(dot + 1));
      if (!MessageDigest.isEqual(mac, mac(scope, body))) {
        throw Problem.badRequest(INVALID);
      }
      return new JsonObject(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException e) {
      throw Problem.badRequest(INVALID);
    }
  }

  private byte[] mac(String scope, byte[] body) {
    try {
      Mac mac = (Mac) keyed.clone();
      mac.update(scope.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(body);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HKDF-SHA256 with an empty salt (RFC 5869 §2.2: a string of zeros), one or more expand blocks. */
  static byte[] hkdf(byte[] ikm, byte[] info, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      for (int done = 0, i = 1; done < length; i++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) i);
        block = mac.doFinal();
        System.arraycopy(block, 0, out, done, Math.min(block.length, length - done));
        done += block.length;
      }
      return Arrays.copyOf(out, length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
