package io.tenantry.load;

import io.vertx.core.Future;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The raw reference of the overhead benchmark, in the manner of the TechEmpower Vert.x entries: one {@link Router}
 * route serving the single-record GET from the baseline's table through a pooled, pipelined {@code PgBuilder}
 * client — no authentication, no validation, no logging, no tenant. It is the physical limit of this stack on the
 * machine; what the baseline and the multi-tenant server lose against it is what their HTTP, JWT, validation and
 * JSON layers cost.
 *
 * <pre>java -cp ... io.tenantry.load.RawServer --port 18083 --db tenantry_ovh_base [--pg-host 127.0.0.1]
 *   [--pg-port 5432] [--user postgres] [--pool-size 16] [--instances 2]</pre>
 */
public final class RawServer extends VerticleBase {
  private static final String GET = "SELECT id, version, data, created_at, updated_at FROM baseline.records "
    + "WHERE collection = $1 AND id = $2";

  private final Map<String, String> args;
  private Pool pool;

  private RawServer(Map<String, String> args) {
    this.args = args;
  }

  public static void main(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    Vertx vertx = Vertx.vertx();
    int instances = Integer.parseInt(args.getOrDefault("instances", "2"));
    vertx.deployVerticle(() -> new RawServer(args), new DeploymentOptions().setInstances(instances))
      .onSuccess(id -> System.out.println("raw reference listening on " + args.get("port")))
      .onFailure(e -> {
        e.printStackTrace();
        System.exit(1);
      });
  }

  @Override
  public Future<?> start() {
    int instances = Integer.parseInt(args.getOrDefault("instances", "2"));
    PgConnectOptions connect = new PgConnectOptions()
      .setHost(args.getOrDefault("pg-host", "127.0.0.1"))
      .setPort(Integer.parseInt(args.getOrDefault("pg-port", "5432")))
      .setDatabase(args.get("db"))
      .setUser(args.getOrDefault("user", "postgres"))
      .setCachePreparedStatements(true)
      .setPipeliningLimit(256);
    // the servers' pool size, split over the event loops as they split theirs
    int size = Math.max(1, Integer.parseInt(args.getOrDefault("pool-size", "16")) / instances);
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(connect).using(vertx).build();
    Router router = Router.router(vertx);
    router.get("/api/v1/collections/:collection/records/:id").handler(this::get);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
        .setPort(Integer.parseInt(args.get("port"))))
      .requestHandler(router)
      .listen();
  }

  private void get(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    String collection = ctx.pathParam("collection");
    pool.preparedQuery(GET)
      .execute(Tuple.of(collection, id))
      .onSuccess(rows -> {
        if (rows.size() == 0) {
          ctx.response().setStatusCode(404).end();
          return;
        }
        Row row = rows.iterator().next();
        long version = row.getLong("version");
        Buffer body = new JsonObject() // the same document the servers answer
          .put("id", row.getUUID("id").toString())
          .put("collection", collection)
          .put("version", version)
          .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
          .put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString())
          .put("data", row.getValue("data"))
          .toBuffer();
        ctx.response().putHeader("Content-Type", "application/json").putHeader("ETag", "\"" + version + "\"").end(body);
      })
      .onFailure(e -> ctx.response().setStatusCode(500).end());
  }
}
