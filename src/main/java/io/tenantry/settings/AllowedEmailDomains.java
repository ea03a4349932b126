package io.tenantry.settings;

import io.tenantry.admin.MemberEmailRule;
import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.Locale;

/** users.allowed_email_domains: a tenant that lists domains takes users of those domains only. */
public final class AllowedEmailDomains implements MemberEmailRule {
  static final String KEY = "users.allowed_email_domains";
  private final EffectiveConfigCache cache;

  public AllowedEmailDomains(EffectiveConfigCache cache) {
    this.cache = cache;
  }

  @Override
  public Future<Void> check(Tenant tenant, String email) {
    return cache.of(tenant).compose(config -> {
      Resolved allowed = config.get(KEY);
      if (allowed == null || !(allowed.value() instanceof JsonArray domains) || domains.isEmpty()
        || domains.contains(domainOf(email))) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(Problem.of(422, "email-domain-not-allowed", "E-mail domain not allowed",
        "this tenant takes users of the e-mail domains " + String.join(", ", domains.stream().map(String::valueOf).toList())
          + " only (its setting " + KEY + ")"));
    });
  }

  static String domainOf(String email) {
    int at = email.lastIndexOf('@');
    return at < 0 ? "" : email.substring(at + 1).toLowerCase(Locale.ROOT);
  }
}
