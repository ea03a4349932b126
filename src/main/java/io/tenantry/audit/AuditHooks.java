package io.tenantry.audit;

import io.tenantry.auth.Caller;
import io.tenantry.http.RequestObserver;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The after-response audit of requests whose entry is not stored with a write, all best-effort through the
 * {@link AuditWriter}: on the data plane (once the tenant is resolved) a mutating request that did not store its
 * own entry, and any request refused (401, 403, 429) or failed (5xx); on the control plane every POST, PUT, PATCH
 * and DELETE, into the log of the tenant its path names, or the platform log; every POST /auth/token (sign-ins,
 * lockouts, refreshes and refresh-token reuse, named by the handler's {@link AuditMarks}); and an API key's first
 * use in each hour on this node. A successful read costs a path check and a map lookup for API-key callers.
 */
public final class AuditHooks implements RequestObserver {
  private static final String STORED = "audit.stored";
  private static final String ACTION = "audit.action";

  private static final long HOUR_MS = 3_600_000;
  /** Bounds the key-use memory; past it the map is cleared (keys are then audited again, which is harmless). */
  private static final int MAX_KEYS_REMEMBERED = 100_000;

  private final AuditWriter writer;
  private final TenantRegistry registry;
  private final Map<UUID, Long> keyHours = new ConcurrentHashMap<>();
  /**
   * Refusals cost the refused caller little (a 429 is charged to no limit, an unauthenticated admin request to none
   * either), so a flood of them must not become a flood of audit inserts: one denied entry per log, caller (or
   * address) and action per {@link #DENIED_WINDOW_MS}, the rest counted. Failed sign-ins are exempt: the sign-in
   * throttle bounds them, and each one matters.
   */
  private static final long DENIED_WINDOW_MS = 10_000;
  private final Map<String, Long> deniedAt = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong deniedSkipped = new java.util.concurrent.atomic.AtomicLong();

  AuditHooks(AuditWriter writer, TenantRegistry registry) {
    this.writer = writer;
    this.registry = registry;
  }

  /** Marks a request whose entry its write's statement stored. */
  public static void storedWithWrite(RoutingContext ctx) {
    ctx.put(STORED, Boolean.TRUE);
  }

  /** A route handler naming the admin action (the contract's operationId) for the after-response entry. */
  public static Handler<RoutingContext> naming(String operationId) {
    String action = "admin." + operationId;
    return ctx -> {
      ctx.put(ACTION, action);
      ctx.next();
    };
  }

  /**
   * Every request once it is over, whether or not its response was sent. After a reroute the path is /api/..., so a
   * /t/{slug}/api/ request is on the data plane either way.
   */
  @Override
  public void ended(RoutingContext ctx, boolean sent, long nanos) {
    String path = ctx.request().path();
    if (path.startsWith("/api/") || path.startsWith("/t/")) {
      dataPlaneEnded(ctx);
    } else if (path.startsWith("/admin/") && mutating(ctx.request().method())) {
      adminEnded(ctx);
    } else if (path.equals("/auth/token") && ctx.request().method() == HttpMethod.POST) {
      authEnded(ctx);
    }
  }

  private void dataPlaneEnded(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    if (tenant == null) {
      return;
    }
    int status = ctx.response().getStatusCode();
    Caller caller = Caller.of(ctx);
    if (caller != null && caller.keyId() != null && status < 400) {
      keyUsed(ctx, tenant, caller.keyId());
    }
    if (ctx.get(STORED) != null) {
      return;
    }
    HttpMethod method = ctx.request().method();
    boolean refusedOrBroken = status == 401 || status == 403 || status == 429 || status >= 500;
    if (mutating(method) || refusedOrBroken) {
      record(tenant, AuditEntry.of(AuditActor.of(ctx), dataAction(ctx.request().path(), method),
        ctx.request().path(), AuditEntry.outcomeOf(status), status, null));
    }
  }

  private void adminEnded(RoutingContext ctx) {
    int status = ctx.response().getStatusCode();
    String action = Optional.ofNullable(ctx.<String>get(ACTION))
      .orElse("admin." + ctx.request().method().name().toLowerCase(Locale.ROOT));
    AuditEntry entry = AuditEntry.of(AuditActor.of(ctx), action, ctx.request().method().name() + " "
      + ctx.request().path(), AuditEntry.outcomeOf(status), status, null);
    String slug = tenantSlug(ctx.request().path());
    if (slug == null || !Tenant.SLUG.matcher(slug).matches()) {
      record(null, entry);
      return;
    }
    registry.bySlug(slug).onComplete(found -> record(found.succeeded() ? found.result().orElse(null) : null, entry));
  }

  /** Denied entries not stored because the same caller's same refusal was, less than the window before (for metrics). */
  public long deniedSkipped() {
    return deniedSkipped.get();
  }

  /** Queues the entry, unless it repeats a refusal stored less than the window before. */
  private void record(Tenant tenant, AuditEntry entry) {
    if (AuditEntry.DENIED.equals(entry.outcome()) && !"auth.login.failure".equals(entry.action())) {
      AuditActor a = entry.actor();
      String who = a.key() != null ? a.key().toString() : a.user() != null ? a.user().toString() : a.clientAddress();
      String key = (tenant == null ? "platform" : tenant.id().toString()) + "|" + who + "|" + entry.action();
      long now = System.currentTimeMillis();
      Long last = deniedAt.get(key);
      if (last != null && now - last < DENIED_WINDOW_MS) {
        deniedSkipped.incrementAndGet();
        return;
      }
      if (deniedAt.size() >= MAX_KEYS_REMEMBERED) {
        deniedAt.clear();
      }
      deniedAt.put(key, now);
    }
    writer.record(tenant, entry);
  }

  /** The first successful use of a key in each clock hour (per node). */
  private void keyUsed(RoutingContext ctx, Tenant tenant, UUID keyId) {
    long hour = System.currentTimeMillis() / HOUR_MS;
    Long last = keyHours.get(keyId);
    if (last != null && last == hour) {
      return;
    }
    if (keyHours.size() >= MAX_KEYS_REMEMBERED) {
      keyHours.clear();
    }
    keyHours.put(keyId, hour);
    writer.record(tenant, AuditEntry.of(AuditActor.of(ctx), "apikey.use", "api-keys/" + keyId, AuditEntry.SUCCESS,
      ctx.response().getStatusCode(), null));
  }

  private void authEnded(RoutingContext ctx) {
    int status = ctx.response().getStatusCode();
    AuditMarks.Mark mark = AuditMarks.of(ctx);
    String action = mark != null ? mark.action() : status < 400 ? "auth.token" : "auth.token.refused";
    AuditActor actor = AuditActor.of(ctx);
    if (mark != null && mark.user() != null) {
      actor = actor.withUser(mark.user());
    }
    AuditEntry entry = AuditEntry.of(actor, action, "/auth/token", AuditEntry.outcomeOf(status), status,
      mark == null ? null : mark.detail());
    if (mark == null || mark.tenant() == null) {
      record(null, entry);
      return;
    }
    registry.byId(mark.tenant()).onComplete(found -> record(found.succeeded() ? found.result().orElse(null) : null, entry));
  }

  /** The slug in /admin/v1/tenants/{slug}/..., or null. */
  static String tenantSlug(String path) {
    String prefix = "/admin/v1/tenants/";
    if (!path.startsWith(prefix)) {
      return null;
    }
    String rest = path.substring(prefix.length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** record.create, record.update, config.delete...: the resource after /api/v1/ and what was done to it. */
  static String dataAction(String path, HttpMethod method) {
    String resource = path.contains("/records") ? "record" : path.startsWith("/api/v1/config") ? "config" : "request";
    String verb = switch (method.name()) {
      case "POST" -> "create";
      case "PUT", "PATCH" -> "update";
      case "DELETE" -> "delete";
      default -> "read";
    };
    return resource + "." + verb;
  }

  static boolean mutating(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
      || method == HttpMethod.DELETE;
  }
}
