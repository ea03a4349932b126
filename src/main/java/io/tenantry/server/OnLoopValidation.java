package io.tenantry.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Request validation against openapi.yaml on the event loop that serves the request. vertx-openapi 5.0.7 runs every
 * validation through {@code vertx.executeBlocking} — ordered, on the shared worker pool that also hashes passwords:
 * two thread hand-offs per request, and one event loop's validations queued behind each other. The checks are the
 * same schemas' ({@link CachedValidatorsContract} shares the validators), bounded by the body limit, so they run
 * here, where the request already is. What a route sees is unchanged: the validated request under
 * {@code RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST}, and a failure as vertx-openapi reports it (a 400
 * {@link HttpException} wrapping the {@link ValidatorException}).
 */
public final class OnLoopValidation implements Handler<RoutingContext> {
  private final Validator validator;
  private final Operation operation;
  private final RequestExtractor extractor;
  private final boolean bodyParsedByEndpoint;

  private OnLoopValidation(Validator validator, Operation operation, RequestExtractor extractor, boolean bodyParsedByEndpoint) {
    this.validator = validator;
    this.operation = operation;
    this.extractor = extractor;
    this.bodyParsedByEndpoint = bodyParsedByEndpoint;
  }

  /**
   * Moves validation of every route that still validates onto the event loop: the builder's own validation is
   * turned off and this handler put first on the route. Call after all routes are configured, before the router is
   * created; a route that turned validation off keeps it off, and one without handlers stays unmounted.
   *
   * @param bodiesParsedByEndpoints operation ids whose parameters are validated here but whose body is not: their
   *                                endpoint parses it at least as strictly as the contract's schema and says better
   *                                what is wrong (a bulk write's 1,000 records are not walked twice)
   */
  public static void install(Vertx vertx, OpenAPIContract contract, RouterBuilder builder, RequestExtractor extractor,
                             Set<String> bodiesParsedByEndpoints) {
    Validator validator = new Validator(vertx, contract);
    for (OpenAPIRoute route : builder.getRoutes()) {
      if (route.doValidation() && !route.getHandlers().isEmpty()) { // the builder mounts only routes with handlers
        route.setDoValidation(false);
        Operation operation = route.getOperation();
        route.getHandlers().add(0, new OnLoopValidation(validator, operation, extractor,
          bodiesParsedByEndpoints.contains(operation.getOperationId())));
      }
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    extractor.extractValidatableRequest(ctx, operation).onComplete(extracted -> {
      if (extracted.failed()) {
        ctx.fail(extracted.cause());
        return;
      }
      ValidatedRequest validated;
      try {
        validated = validator.now(extracted.result(), operation, bodyParsedByEndpoint);
      } catch (ValidatorException e) {
        ctx.fail(new HttpException(400, e.getMessage(), e));
        return;
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
      ctx.next();
    });
  }

  /** vertx-openapi's request validator with its checks callable in the caller's thread. */
  static final class Validator extends RequestValidatorImpl {
    private final OpenAPIContract contract;
    /** Each string parameter's compiled check, where its schema allows one ({@link StringParameterCheck}). */
    private final Map<Parameter, StringParameterCheck> checks = new IdentityHashMap<>();

    Validator(Vertx vertx, OpenAPIContract contract) {
      super(vertx, contract);
      this.contract = contract;
      for (Operation operation : contract.operations()) {
        for (Parameter parameter : operation.getParameters()) {
          if (parameter.getSchemaType() == SchemaType.STRING) {
            StringParameterCheck.of(parameter.getSchema()).ifPresent(check -> checks.put(parameter, check));
          }
        }
      }
    }

    /**
     * A string parameter is its own text. vertx-openapi first tries every such value that is not a bare word (a
     * UUID, a dotted name) as a JSON document and then as a quoted JSON string, so a record id costs two parse
     * exceptions with their stack traces — the largest single cost of a small request. Text that holds no quote or
     * backslash decodes to itself as a quoted JSON string, so it is validated as it is — by the parameter's compiled
     * check when it has one and that check accepts the text, else by the library's validator for its schema;
     * anything else, and every other type, takes the library's way.
     */
    @Override
    public RequestParameter validateParameter(Parameter parameter, RequestParameter value) {
      if (value == null || value.isNull() || parameter.getSchemaType() != SchemaType.STRING) {
        return super.validateParameter(parameter, value);
      }
      String raw = String.valueOf(value.get());
      if (raw.indexOf('"') >= 0 || raw.indexOf('\\') >= 0) {
        return super.validateParameter(parameter, value);
      }
      StringParameterCheck check = checks.get(parameter);
      if (check != null && check.accepts(raw)) {
        return new RequestParameterImpl(raw);
      }
      OutputUnit result = contract.getSchemaRepository().validator(parameter.getSchema()).validate(raw);
      try {
        result.checkValidity();
        return new RequestParameterImpl(raw);
      } catch (JsonSchemaValidationException e) {
        throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
      }
    }

    /** Whether this parameter is checked by its compiled check before the library is asked. */
    boolean compiled(Parameter parameter) {
      return checks.containsKey(parameter);
    }

    /**
     * What {@code validate(request, operationId)} computes on a worker thread, computed here; with
     * {@code bodyParsedByEndpoint} the body is passed on as it came.
     */
    ValidatedRequest now(ValidatableRequest request, Operation operation, boolean bodyParsedByEndpoint) {
      Map<String, RequestParameter> cookies = new HashMap<>(request.getCookies().size());
      Map<String, RequestParameter> headers = new HashMap<>(request.getHeaders().size());
      Map<String, RequestParameter> path = new HashMap<>(request.getPathParameters().size());
      Map<String, RequestParameter> query = new HashMap<>(request.getQuery().size());
      for (Parameter parameter : operation.getParameters()) {
        String name = parameter.getName();
        switch (parameter.getIn()) {
          case COOKIE -> cookies.put(name, validateParameter(parameter, request.getCookies().get(name)));
          case HEADER -> headers.put(name, validateParameter(parameter, request.getHeaders().get(name)));
          case PATH -> path.put(name, validateParameter(parameter, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, validateParameter(parameter, request.getQuery().get(name)));
          default -> throw new IllegalStateException("parameter location " + parameter.getIn());
        }
      }
      RequestParameter body = bodyParsedByEndpoint ? request.getBody() : validateBody(operation.getRequestBody(), request);
      return new ValidatedRequestImpl(cookies, headers, path, query, body);
    }
  }
}
