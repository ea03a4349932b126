package io.tenantry.http;

import io.tenantry.pipeline.ProblemHandler;
import io.tenantry.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A response that cannot be produced is a prompt 500 problem naming the request, never a request left hanging. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponsesTest {
  private Vertx vertx;
  private WebClient client;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::handle);
    // A value Jackson cannot encode, answered from the callback of a future completed later, as the handlers do
    // (there a throw escapes no handler: the router never learns of it).
    router.get("/unencodable").handler(ctx -> vertx.timer(1)
      .onSuccess(v -> Responses.json(ctx, 200, new JsonObject().put("x", new Object()))));
    router.get("/throws").handler(ctx -> Responses.when(ctx, vertx.timer(1), v -> {
      throw new IllegalStateException("while responding");
    }));
    router.get("/fails").handler(ctx -> Responses.when(ctx, Future.failedFuture(Problem.notFound("no such thing")),
      v -> Responses.noContent(ctx)));
    router.get("/fine").handler(ctx -> Responses.when(ctx, Future.succeededFuture(new JsonObject().put("ok", true)),
      json -> Responses.json(ctx, 200, json)));
    router.route().failureHandler(ProblemHandler::handle);
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterAll
  void stop() {
    Await.result(vertx.close());
  }

  private HttpResponse<Buffer> getPromptly(String path) {
    return Await.result(client.get(path).putHeader(RequestIds.HEADER, "req-" + path.substring(1)).send(), 5);
  }

  @Test
  void aBodyThatCannotBeEncodedIsA500ProblemWithTheRequestId() {
    HttpResponse<Buffer> r = getPromptly("/unencodable");
    JsonObject problem = assertProblem(r, 500);
    assertThat(problem.getString("instance")).isEqualTo("urn:tenantry:request:req-unencodable");
    assertThat(r.bodyAsString()).doesNotContain("java.lang.Object");
  }

  @Test
  void aThrowWhileRespondingFailsTheRequest() {
    assertThat(assertProblem(getPromptly("/throws"), 500).getString("detail")).isEqualTo("an unexpected error occurred");
  }

  @Test
  void aFailedResultIsItsProblemAndASucceededOneIsTheResponse() {
    assertProblem(getPromptly("/fails"), 404);
    HttpResponse<Buffer> fine = getPromptly("/fine");
    assertThat(fine.statusCode()).isEqualTo(200);
    assertThat(fine.bodyAsJsonObject()).isEqualTo(new JsonObject().put("ok", true));
  }
}
