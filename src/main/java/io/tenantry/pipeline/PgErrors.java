package io.tenantry.pipeline;

import io.tenantry.http.Problem;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL errors a client can cause, by SQLSTATE. Their messages are never passed on: they may name data.
 * A tenant deleted while its requests run makes some of them fail: a write to a shared table whose tenant row is gone
 * (foreign-key violation: 404, the tenant no longer exists), a statement on a dropped schema or database
 * (undefined table or schema, unknown database: 503, and the retry finds the tenant gone).
 */
final class PgErrors {
  private static final Logger LOG = LoggerFactory.getLogger(PgErrors.class);

  private PgErrors() {
  }

  static Problem toProblem(PgException e) {
    String state = e.getSqlState();
    if (state == null) {
      return null;
    }
    return switch (state) {
      case "23505" -> Problem.conflict("the resource already exists");
      case "23503" -> Problem.notFound("the tenant, or a resource this request refers to, no longer exists");
      case "22P05", "22021" -> Problem.badRequest("the JSON contains a character PostgreSQL cannot store (\\u0000)");
      case "22P02", "22023", "23514" -> Problem.badRequest("a value is not acceptable");
      case "54000", "54001" -> Problem.badRequest("the request is too large or too deeply nested");
      case "57014" -> Problem.unavailable("the request's statement ran longer than this tenant's statement timeout "
        + "allows and was cancelled; retry, or ask for less data at once", 1);
      case "25P03" -> Problem.unavailable("the request's transaction stayed idle longer than the database allows and "
        + "was ended; retry", 1);
      case "40001", "40P01", "55P03" -> Problem.unavailable("the database could not complete the request; retry", 1);
      case "53300", "57P01", "57P03", "08000", "08003", "08006", "3D000" -> Problem.unavailable("the database is unavailable", 2);
      case "42P01", "3F000" -> missing(e);
      default -> null;
    };
  }

  /** Expected only while a tenant's schema is being dropped; anything else is a fault, so it is logged. */
  private static Problem missing(PgException e) {
    LOG.warn("a statement found no table or schema ({}): its tenant is being deleted, or this is a fault", e.getSqlState());
    return Problem.unavailable("the tenant's data is not available right now (it may just have been deleted); retry", 1);
  }
}
