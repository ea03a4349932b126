package io.tenantry.http;

import io.vertx.pgclient.PgException;

/** PostgreSQL errors a client can cause, by SQLSTATE. Their messages are never passed on: they may name data. */
final class PgErrors {
  private PgErrors() {
  }

  static Problem toProblem(PgException e) {
    String state = e.getSqlState();
    if (state == null) {
      return null;
    }
    return switch (state) {
      case "23505" -> Problem.conflict("the resource already exists");
      case "22P05", "22021" -> Problem.badRequest("the JSON contains a character PostgreSQL cannot store (\\u0000)");
      case "22P02", "22023", "23514" -> Problem.badRequest("a value is not acceptable");
      case "54000", "54001" -> Problem.badRequest("the request is too large or too deeply nested");
      case "57014" -> Problem.unavailable("the request's statement ran longer than this tenant's statement timeout "
        + "allows and was cancelled; retry, or ask for less data at once", 1);
      case "25P03" -> Problem.unavailable("the request's transaction stayed idle longer than the database allows and "
        + "was ended; retry", 1);
      case "40001", "40P01", "55P03" -> Problem.unavailable("the database could not complete the request; retry", 1);
      case "53300", "57P01", "57P03", "08000", "08003", "08006" -> Problem.unavailable("the database is unavailable", 2);
      default -> null;
    };
  }
}
