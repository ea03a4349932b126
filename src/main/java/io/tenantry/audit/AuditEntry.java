package io.tenantry.audit;

import io.tenantry.http.Uuids;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * One audit entry before it is stored. {@code outcome} is success, denied or failed; {@code status} the HTTP status
 * answered, when there was one.
 */
public record AuditEntry(UUID id, AuditActor actor, String action, String target, String outcome, Integer status,
                         JsonObject detail) {
  public static final String SUCCESS = "success";
  public static final String DENIED = "denied";
  public static final String FAILED = "failed";

  public static AuditEntry of(AuditActor actor, String action, String target, String outcome, Integer status,
                              JsonObject detail) {
    return new AuditEntry(Uuids.v7(), actor, action, target, outcome, status, detail);
  }

  /** The outcome an HTTP status stands for: refusals of who is asking are denied, other errors failed. */
  public static String outcomeOf(int status) {
    if (status < 400) {
      return SUCCESS;
    }
    return status == 401 || status == 403 || status == 429 ? DENIED : FAILED;
  }
}
