package io.tenantry.auth;

import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@link LoginThrottle} keys of a sign-in. An account is its email trimmed and lower-cased (as the user lookup
 * compares them), digested so that a key's size does not depend on what a client sends. An address is the TCP
 * peer's — X-Forwarded-For is not trusted, no proxy being configured as trusted — and an IPv6 peer counts as its
 * /64, the block one subscriber usually holds.
 */
public final class LoginKeys {
  private LoginKeys() {
  }

  public static String account(String email) {
    String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
      return "a:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  public static String address(SocketAddress peer) {
    String host = peer == null ? null : peer.hostAddress();
    if (host == null) {
      return "n:unknown";
    }
    if (!host.contains(":")) {
      return "n:" + host;
    }
    try {
      byte[] ip = InetAddress.getByName(host).getAddress(); // a literal: no lookup
      if (ip.length != 16) {
        return "n:" + InetAddress.getByAddress(ip).getHostAddress();
      }
      for (int i = 8; i < 16; i++) {
        ip[i] = 0;
      }
      return "n:" + InetAddress.getByAddress(ip).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      return "n:" + host;
    }
  }
}
