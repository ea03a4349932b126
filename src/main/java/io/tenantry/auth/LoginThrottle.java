package io.tenantry.auth;

import io.tenantry.config.Config;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Failed sign-ins per account and per client address, with exponential back-off: after {@code failures} failures
 * a key is refused for the base back-off, doubled for each further failure up to the cap. A key is forgotten once
 * a window passes with neither a failure nor a refusal period. Node-local and bounded: at most max-entries keys,
 * the least recently failed dropped first, so random emails or addresses cannot grow it without limit.
 * Keys are opaque strings ({@link LoginKeys}); accounts and addresses never collide.
 */
public final class LoginThrottle {
  private final int accountFailures;
  private final int addressFailures;
  private final long backoffNanos;
  private final long backoffMaxNanos;
  private final long windowNanos;
  private final int maxEntries;
  private final LongSupplier nanos;
  /** In order of last failure: the head is the first to expire or to be dropped. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  public LoginThrottle(Config.LoginSettings settings) {
    this(settings, System::nanoTime);
  }

  LoginThrottle(Config.LoginSettings settings, LongSupplier nanos) {
    this.accountFailures = settings.accountFailures();
    this.addressFailures = settings.addressFailures();
    this.backoffNanos = TimeUnit.SECONDS.toNanos(settings.backoffSeconds());
    this.backoffMaxNanos = TimeUnit.SECONDS.toNanos(settings.backoffMaxSeconds());
    this.windowNanos = TimeUnit.SECONDS.toNanos(settings.windowSeconds());
    this.maxEntries = settings.maxEntries();
    this.nanos = nanos;
  }

  /** Whether an attempt for this account from this address must be refused without checking its password. */
  public synchronized boolean refused(String account, String address) {
    long now = nanos.getAsLong();
    return blocked(entries.get(account), now) || blocked(entries.get(address), now);
  }

  public synchronized void failed(String account, String address) {
    long now = nanos.getAsLong();
    fail(account, accountFailures, now);
    fail(address, addressFailures, now);
    forgetExpired(now);
  }

  /**
   * A correct password clears the account's failures. Not the address's: one valid account of its own would
   * otherwise let an attacker clear its address's record between guesses at other accounts.
   */
  public synchronized void succeeded(String account) {
    entries.remove(account);
  }

  synchronized int size() {
    return entries.size();
  }

  /** The back-off after {@code failures} failures of a key whose threshold is {@code threshold}; 0 below it. */
  long backoffNanos(int failures, int threshold) {
    if (failures < threshold) {
      return 0;
    }
    int doublings = failures - threshold;
    return doublings >= 62 || backoffNanos > (backoffMaxNanos >> doublings)
      ? backoffMaxNanos
      : backoffNanos << doublings;
  }

  private static boolean blocked(Entry entry, long now) {
    return entry != null && now - entry.blockedUntil < 0;
  }

  private void fail(String key, int threshold, long now) {
    Entry entry = entries.remove(key); // re-inserted last: the map stays in order of last failure
    if (entry == null || expired(entry, now)) {
      entry = new Entry();
      entry.blockedUntil = now; // nanoTime may be negative: a zero would read as a block
    }
    entry.failures = Math.min(entry.failures + 1, 1_000_000);
    entry.lastFailure = now;
    long backoff = backoffNanos(entry.failures, threshold);
    if (backoff > 0) {
      entry.blockedUntil = now + backoff;
    }
    entries.put(key, entry);
  }

  private boolean expired(Entry entry, long now) {
    long quietSince = entry.blockedUntil - entry.lastFailure > 0 ? entry.blockedUntil : entry.lastFailure;
    return now - quietSince >= windowNanos;
  }

  private void forgetExpired(long now) {
    Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<String, Entry> head = oldest.next();
      if (entries.size() > maxEntries || expired(head.getValue(), now)) {
        oldest.remove();
      } else {
        return;
      }
    }
  }

  private static final class Entry {
    int failures;
    long lastFailure;
    long blockedUntil;
  }
}
