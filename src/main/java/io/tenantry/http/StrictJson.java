package io.tenantry.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The JSON the server accepts (docs/records.md, "What JSON is accepted"): exactly what it can store and give back
 * unchanged. Anything else is refused with 400 before any other code reads the body — Vert.x's own decoder (and so
 * the OpenAPI validator and the handlers) would accept comments, keep the last of duplicate keys, turn 1e400 into
 * Infinity and unpaired surrogates into '?', and a document nested near Jackson's limit of 1000 can be stored but not
 * encoded again inside a response.
 */
public final class StrictJson {
  /** Bodies from this size on are checked off the event loop. */
  static final int ON_WORKER = 64 * 1024;
  private static final int WORKERS = 2;
  private static final JsonFactory FACTORY = JsonFactory.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .build();

  private StrictJson() {
  }

  /**
   * Fails the request with the 400 of {@link #check} when its body is JSON (a JSON media type, or none) and not
   * acceptable; other bodies, and requests without one, go on untouched. Bodies of {@link #ON_WORKER} bytes or more
   * are checked on a small worker pool of their own (a megabyte takes milliseconds), smaller ones on the event loop.
   */
  public static Handler<RoutingContext> handler(Vertx vertx, int maxDepth) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("tenantry-strict-json", WORKERS);
    return ctx -> {
      Buffer body = ctx.body() == null ? null : ctx.body().buffer();
      if (body == null || body.length() == 0 || !isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
        ctx.next();
      } else if (body.length() < ON_WORKER) {
        try {
          check(body, maxDepth);
        } catch (Problem refused) {
          ctx.fail(refused);
          return;
        }
        ctx.next();
      } else {
        workers.executeBlocking(() -> {
          check(body, maxDepth);
          return null;
        }, false).onComplete(checked -> {
          if (checked.succeeded()) {
            ctx.next();
          } else {
            ctx.fail(checked.cause());
          }
        });
      }
    };
  }

  /** application/json, application/*+json, or no media type at all (handlers would still read such a body as JSON). */
  public static boolean isJson(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
  }

  /**
   * @throws Problem 400, its detail naming what is not allowed, unless {@code body} is one JSON value (RFC 8259) in
   *                 valid UTF-8, nested at most {@code maxDepth} objects/arrays deep, without duplicate keys or
   *                 unpaired surrogates, and with every number within the range of a double (U+0000 is left to
   *                 PostgreSQL, which refuses to store it: a 400 from {@link PgErrors})
   */
  public static void check(Buffer body, int maxDepth) {
    CharBuffer text = utf8(body);
    try (JsonParser parser = FACTORY.createParser(text.array(), text.arrayOffset(), text.remaining())) {
      walk(parser, maxDepth);
    } catch (StreamConstraintsException tooLong) {
      throw refuse(tooLong(tooLong));
    } catch (JsonProcessingException invalid) {
      throw refuse(syntax(invalid));
    } catch (IOException e) {
      throw refuse("the body is not valid JSON");
    }
  }

  private static void walk(JsonParser parser, int maxDepth) throws IOException {
    int depth = 0;
    boolean rootSeen = false;
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      if (depth == 0 && rootSeen) {
        throw refuse("the body must hold exactly one JSON value; more follows (line "
          + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr() + ")");
      }
      switch (token) {
        case START_OBJECT, START_ARRAY -> {
          if (++depth > maxDepth) {
            throw refuse("JSON nested deeper than " + maxDepth + " levels of objects and arrays is not allowed");
          }
        }
        case END_OBJECT, END_ARRAY -> depth--;
        case FIELD_NAME, VALUE_STRING -> text(parser, token == JsonToken.FIELD_NAME ? "a key" : "a string");
        case VALUE_NUMBER_FLOAT -> number(parser);
        default -> {
          // integers are kept exactly (PostgreSQL numeric, BigInteger in Java); true, false, null are themselves
        }
      }
      rootSeen |= depth == 0;
    }
    if (!rootSeen) {
      throw refuse("the body is empty");
    }
  }

  /** Strict UTF-8: overlong forms, truncated sequences and UTF-8-encoded surrogates (CESU-8) are refused, not repaired. */
  private static CharBuffer utf8(Buffer body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body.getBytes());
    CharBuffer out = CharBuffer.allocate(body.length());
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw refuse("the body is not valid UTF-8 at byte " + in.position() + ": overlong encodings, truncated "
        + "sequences and encoded surrogates (U+D800-U+DFFF) are not allowed");
    }
    return out.flip();
  }

  private static void text(JsonParser parser, String what) throws IOException {
    char[] chars = parser.getTextCharacters();
    int end = parser.getTextOffset() + parser.getTextLength();
    for (int i = parser.getTextOffset(); i < end; i++) {
      char c = chars[i];
      if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw refuse(what + " contains an unpaired surrogate (\\u" + Integer.toHexString(c).toUpperCase(Locale.ROOT)
          + "); \\uD800-\\uDFFF escapes are allowed only as a high-low pair encoding one character");
      }
    }
  }

  /**
   * Numbers with a fraction or an exponent are read as doubles (as they are given back): one that overflows to
   * infinity, or a non-zero one that underflows to zero, would not come back as sent.
   */
  private static void number(JsonParser parser) throws IOException {
    double value = parser.getDoubleValue();
    String literal = parser.getText();
    if (Double.isInfinite(value)) {
      throw refuse("the number " + abbreviated(literal) + " is beyond the range of a double (about ±1.8e308); "
        + "numbers with a fraction or exponent must be within it");
    }
    if (value == 0 && nonZeroMantissa(literal)) {
      throw refuse("the number " + abbreviated(literal) + " is too small for a double (about 4.9e-324) and would "
        + "become 0; numbers with a fraction or exponent must be within its range");
    }
  }

  private static boolean nonZeroMantissa(String literal) {
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  private static String abbreviated(String literal) {
    return literal.length() <= 40 ? literal : literal.substring(0, 37) + "...";
  }

  /** Jackson's own limits on literal lengths, named in the client's terms. */
  private static String tooLong(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    StreamReadConstraints limits = StreamReadConstraints.defaults();
    if (message.startsWith("Number")) {
      return "a number longer than " + limits.getMaxNumberLength() + " characters is not allowed";
    }
    if (message.startsWith("Name")) {
      return "a key longer than " + limits.getMaxNameLength() + " characters is not allowed";
    }
    return "a string longer than " + limits.getMaxStringLength() + " characters is not allowed";
  }

  private static String syntax(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String what;
    if (message.startsWith("Duplicate field")) {
      what = "a key appears twice in one object (" + abbreviated(message.substring("Duplicate field ".length()))
        + "); each key may appear once";
    } else if (message.contains("ALLOW_COMMENTS") || message.contains("comment")) {
      what = "comments are not allowed";
    } else {
      what = "the body is not valid JSON (RFC 8259; no comments, single quotes, NaN or Infinity, trailing commas "
        + "or leading zeros)";
    }
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1 ? what : what + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static Problem refuse(String detail) {
    return Problem.badRequest(detail);
  }
}
