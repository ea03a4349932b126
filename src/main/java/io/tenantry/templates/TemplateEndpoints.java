package io.tenantry.templates;

import io.tenantry.colschema.SchemaSeeding;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.ratelimit.LimitsStore;
import io.tenantry.settings.SettingsCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * /admin/v1/templates[/{name}] (super-admins, by the routes' guard), and the lookup tenant creation uses when a
 * request names a template.
 */
public final class TemplateEndpoints {
  static final int MAX_LISTED = 500;

  private record Saved(Template template, boolean created) {
  }

  private final TemplateStore store;
  private final TemplateChecks checks;

  public TemplateEndpoints(Pool pool, SettingsCatalog catalog, SchemaSeeding schemas, LimitsStore limits) {
    this.store = new TemplateStore(pool);
    this.checks = new TemplateChecks(catalog, schemas, limits);
  }

  /** The template a tenant creation names: 422 (pointing at "template") when there is none. */
  public Future<Template> find(String name) {
    Future<java.util.Optional<Template>> found = Template.NAME.matcher(name).matches()
      ? store.get(name) : Future.succeededFuture(java.util.Optional.empty());
    return found.map(template -> template.orElseThrow(() -> Problem.of(422, "unknown-template", "Unknown template",
        "there is no template named '" + (name.length() > 63 ? name.substring(0, 63) + "..." : name)
          + "'; GET /admin/v1/templates lists them")
      .withMembers(new JsonObject().put("pointer", "/template"))));
  }

  public void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    Responses.when(ctx, checks.check(body.getString("name"), without(body, "name"))
        .compose(template -> store.insert(template).map(template)),
      template -> {
        ctx.response().putHeader("Location", "/admin/v1/templates/" + template.name());
        Responses.json(ctx, 201, template.toJson());
      });
  }

  public void list(RoutingContext ctx) {
    Responses.when(ctx, store.list(MAX_LISTED), all -> {
      JsonArray items = new JsonArray();
      all.forEach(template -> items.add(template.toJson()));
      Responses.json(ctx, 200, new JsonObject().put("items", items));
    });
  }

  public void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Responses.when(ctx, known(name).compose(store::get)
        .map(found -> found.orElseThrow(() -> Problem.notFound("no template named '" + name + "'"))),
      template -> Responses.json(ctx, 200, template.toJson()));
  }

  /** Creates or replaces the template; a "name" in the body, if any, must be the path's. */
  public void put(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject body = ctx.body().asJsonObject();
    if (body.containsKey("name") && !name.equals(body.getString("name"))) {
      ctx.fail(Problem.badRequest("the body's name must be the path's (" + name + ") or absent; a template is renamed "
        + "by creating the new one and deleting the old"));
      return;
    }
    Responses.when(ctx, checks.check(name, without(body, "name"))
        .compose(template -> store.put(template).map(created -> new Saved(template, created))),
      saved -> Responses.json(ctx, saved.created() ? 201 : 200, saved.template().toJson()));
  }

  public void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Responses.when(ctx, known(name).compose(store::delete)
        .compose(deleted -> deleted ? Future.succeededFuture()
          : Future.failedFuture(Problem.notFound("no template named '" + name + "'"))),
      v -> Responses.noContent(ctx));
  }

  private static Future<String> known(String name) {
    return name != null && Template.NAME.matcher(name).matches() ? Future.succeededFuture(name)
      : Future.failedFuture(Problem.notFound("no template named that; names match " + Template.NAME.pattern()));
  }

  private static JsonObject without(JsonObject body, String key) {
    JsonObject copy = body.copy();
    copy.remove(key);
    return copy;
  }
}
