package io.tenantry.templates;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one class that knows the SQL of platform.tenant_templates. */
final class TemplateStore {
  private static final String INSERT = "INSERT INTO platform.tenant_templates (name, body) VALUES ($1, $2)";
  private static final String UPSERT = "INSERT INTO platform.tenant_templates (name, body) VALUES ($1, $2) "
    + "ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body, updated_at = now() RETURNING (xmax = 0) AS created";
  private static final String GET = "SELECT name, body FROM platform.tenant_templates WHERE name = $1";
  private static final String LIST = "SELECT name, body FROM platform.tenant_templates ORDER BY name LIMIT $1";
  private static final String DELETE = "DELETE FROM platform.tenant_templates WHERE name = $1";
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  TemplateStore(Pool pool) {
    this.pool = pool;
  }

  Future<Void> insert(Template template) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(template.name(), body(template))).<Void>mapEmpty()
      .recover(e -> e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        ? Future.failedFuture(Problem.conflict("a template named '" + template.name()
          + "' already exists; PUT /admin/v1/templates/" + template.name() + " replaces it"))
        : Future.failedFuture(e));
  }

  /** True when the template is new. */
  Future<Boolean> put(Template template) {
    return pool.preparedQuery(UPSERT).execute(Tuple.of(template.name(), body(template)))
      .map(rows -> rows.iterator().next().getBoolean("created"));
  }

  Future<Optional<Template>> get(String name) {
    return pool.preparedQuery(GET).execute(Tuple.of(name))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(from(rows.iterator().next())));
  }

  Future<List<Template>> list(int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(limit)).map(rows -> {
      List<Template> out = new ArrayList<>(rows.size());
      rows.forEach(row -> out.add(from(row)));
      return out;
    });
  }

  Future<Boolean> delete(String name) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(name)).map(rows -> rows.rowCount() > 0);
  }

  private static JsonObject body(Template template) {
    JsonObject body = template.toJson();
    body.remove("name");
    return body;
  }

  private static Template from(Row row) {
    return Template.fromJson(row.getString("name"), row.getJsonObject("body"));
  }
}
