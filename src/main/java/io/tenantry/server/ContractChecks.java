package io.tenantry.server;

import io.tenantry.http.Problem;
import io.tenantry.http.ValidationMessages;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the contract says about a request beyond what vertx-openapi checks: a query parameter the operation does not
 * declare is refused (a client's misspelt or invented filter must not silently return everything), and a failed
 * validation is explained with the operation's own schemas ({@link ValidationMessages}).
 */
public final class ContractChecks implements Handler<RoutingContext> {
  /** Names echoed back as sent; anything else (quotes, SQL, markup) is not reflected to the client. */
  private static final Pattern ECHOED = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,40}");
  private final Operation operation;
  private final Set<String> query;
  /**
   * Parameters marked {@code x-tenantry-bracketed} (filter): their members arrive as name[...] and the handler parses
   * and checks them (vertx-openapi 5.0.7 refuses {@code style: deepObject} contracts).
   */
  private final Set<String> deep = new TreeSet<>();

  private ContractChecks(Operation operation) {
    this.operation = operation;
    this.query = new TreeSet<>();
    operation.getParameters().stream().filter(p -> p.getIn() == Location.QUERY).forEach(p -> query.add(p.getName()));
    operation.getParameters().stream().filter(p -> p.getIn() == Location.QUERY
        && Boolean.TRUE.equals(p.getExtensions().get("x-tenantry-bracketed")))
      .forEach(p -> deep.add(p.getName() + "["));
  }

  /** Adds the checks to an operation's route: the query check before its handlers, the operation to its failures. */
  public static void wire(OpenAPIRoute route) {
    Operation operation = route.getOperation();
    route.addHandler(new ContractChecks(operation));
    route.addFailureHandler(ctx -> {
      ctx.put(ValidationMessages.OPERATION, operation);
      ctx.next();
    });
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().query() == null) {
      ctx.next(); // most requests: nothing to parse
      return;
    }
    List<String> unknown = new ArrayList<>();
    for (String name : ctx.queryParams().names()) {
      if (!query.contains(name) && deep.stream().noneMatch(name::startsWith)) {
        unknown.add(ECHOED.matcher(name).matches() ? name : "(a name with other characters)");
      }
    }
    if (unknown.isEmpty()) {
      ctx.next();
      return;
    }
    unknown.sort(null);
    ctx.fail(Problem.badRequest("unknown query parameter" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
      + ": " + (query.isEmpty() ? operation.getOperationId() + " takes none"
      : "allowed: " + String.join(", ", query.stream().map(q -> deep.contains(q + "[") ? q + "[...]" : q).toList()))));
  }
}
