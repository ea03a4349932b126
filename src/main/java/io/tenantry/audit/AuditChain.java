package io.tenantry.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The chain's link: sha256(previous hash || canonical entry). Position 0 (an empty chain) is 32 zero bytes. */
final class AuditChain {
  static final byte[] GENESIS = new byte[32];

  private AuditChain() {
  }

  static byte[] link(byte[] previous, AuditRow entry) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(previous);
      sha.update(entry.canonical());
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
