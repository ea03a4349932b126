package io.tenantry.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on (and the line of the key that names it, when it is a mapping's value),
 * so that every complaint about the file can name its line. The value is a {@code Map<String, Located>}, a
 * {@code List<Located>}, or a scalar (String, Number, Boolean, null).
 */
record Located(Object value, int line, int keyLine) {
  Located(Object value, int line) {
    this(value, line, line);
  }

  static Located parse(Reader reader) throws IOException {
    try (JsonParser parser = new YAMLFactory().createParser(reader)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new Located(null, 1);
      }
      return read(parser);
    }
  }

  private static Located read(JsonParser p) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT -> {
        Map<String, Located> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          Located value = read(p);
          if (map.put(key, new Located(value.value(), value.line(), keyLine)) != null) {
            throw new FileProblem(keyLine, "\"" + key + "\" appears twice");
          }
        }
        return new Located(map, line);
      }
      case START_ARRAY -> {
        List<Located> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(p));
        }
        return new Located(list, line);
      }
      case VALUE_STRING -> {
        return new Located(p.getText(), line);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Located(p.getNumberValue(), line);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new Located(p.getBooleanValue(), line);
      }
      case VALUE_NULL -> {
        return new Located(null, line);
      }
      default -> throw new FileProblem(line, "unexpected " + token);
    }
  }

  @SuppressWarnings("unchecked")
  Map<String, Located> map() {
    return value instanceof Map<?, ?> m ? (Map<String, Located>) m : null;
  }

  @SuppressWarnings("unchecked")
  List<Located> list() {
    return value instanceof List<?> l ? (List<Located>) l : null;
  }

  /** The value as Vert.x JSON (JsonObject, JsonArray or a scalar), for sending and comparing. */
  Object json() {
    if (map() != null) {
      io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject();
      map().forEach((k, v) -> o.put(k, v.json()));
      return o;
    }
    if (list() != null) {
      io.vertx.core.json.JsonArray a = new io.vertx.core.json.JsonArray();
      list().forEach(v -> a.add(v.json()));
      return a;
    }
    return value;
  }

  /** A complaint about the file at a line. */
  static final class FileProblem extends RuntimeException {
    final int line;

    FileProblem(int line, String message) {
      super(message);
      this.line = line;
    }
  }
}
