package io.tenantry.health;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Set once a graceful shutdown begins: readiness turns 503 so load balancers stop sending, and responses say
 * "Connection: close" so clients stop reusing connections to this node, while requests are still served.
 */
public final class Draining {
  private final AtomicBoolean draining = new AtomicBoolean();

  public void begin() {
    draining.set(true);
  }

  public boolean active() {
    return draining.get();
  }
}
