package io.tenantry.records;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The id of a record created with an Idempotency-Key: derived from the tenant, the caller and the key (a version 8
 * UUID of their SHA-256), so every retry of the create names the same record. The insert is then applied at most
 * once even when the first attempt's answer was lost with its connection (commit outcome unknown) and the key's
 * stored answer with it: the retry's insert meets the first one's row (a unique violation on the primary key) and
 * answers with that record. Such ids do not sort by creation time as the server's UUIDv7 ids do.
 */
final class KeyedRecordIds {
  private KeyedRecordIds() {
  }

  static UUID of(UUID tenant, UUID caller, String collection, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((tenant + "\0" + caller + "\0" + collection + "\0" + key).getBytes(StandardCharsets.UTF_8));
      ByteBuffer bytes = ByteBuffer.wrap(sha.digest());
      long high = bytes.getLong();
      long low = bytes.getLong();
      high = (high & ~0xF000L) | 0x8000L; // version 8 (RFC 9562: custom)
      low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // variant 10
      return new UUID(high, low);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
