package io.tenantry.cluster;

/** The lock was not obtained within the wait: another node (or caller) holds it, or the cluster is gone. */
public final class LockUnavailable extends RuntimeException {
  public LockUnavailable(String name, String why) {
    super("lock " + name + " unavailable: " + why, null, false, false);
  }
}
