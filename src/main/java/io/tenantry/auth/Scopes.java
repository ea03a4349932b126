package io.tenantry.auth;

import io.tenantry.http.Problem;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What an API key (or a token exchanged for one) may do; a key acts only within its scopes. */
public final class Scopes {
  public static final String RECORDS_READ = "records:read";
  public static final String RECORDS_WRITE = "records:write";
  public static final String FILES_READ = "files:read";
  public static final String FILES_WRITE = "files:write";
  public static final String ADMIN = "admin";
  public static final List<String> ALL = List.of(RECORDS_READ, RECORDS_WRITE, FILES_READ, FILES_WRITE, ADMIN);

  private Scopes() {
  }

  /** The scopes asked for, or a 400 naming the allowed ones. */
  public static Set<String> parse(List<?> asked) {
    if (asked == null || asked.isEmpty()) {
      throw Problem.badRequest("scopes must name at least one of " + String.join(", ", ALL));
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (Object scope : asked) {
      if (!(scope instanceof String s) || !ALL.contains(s)) {
        throw Problem.badRequest("unknown scope " + scope + ": allowed are " + String.join(", ", ALL));
      }
      scopes.add(s);
    }
    return Set.copyOf(scopes);
  }

  /**
   * The tenant role a key acts with, so the gate admits it to its tenant like a member: tenant_admin with the admin
   * scope, else member (its scopes then decide what each route allows).
   */
  public static String role(Set<String> scopes) {
    return scopes.contains(ADMIN) ? Caller.TENANT_ADMIN : Caller.MEMBER;
  }
}
