package io.tenantry.records.query;

import java.util.List;

/**
 * One clause of a query's filter, parsed and typed: the field, the operator and its operand(s) as the text they are
 * bound as ({@code values}: one, or the list of {@code in}). {@code type} says how a range compares.
 */
public record Filter(FieldRef field, Operator op, ValueType type, List<String> values) {
  /** How the operand compares with the field. */
  public enum ValueType {
    /** any JSON value, compared as jsonb (eq, in, contains) */
    JSON,
    /** ranges over JSON numbers only */
    NUMBER,
    /** ranges over JSON strings only, and prefix */
    STRING,
    /** RFC 3339 timestamps: a record's created_at/updated_at, or JSON strings holding one */
    TIMESTAMP,
    /** exists=true|false */
    BOOLEAN
  }

  public String value() {
    return values.get(0);
  }

  /** The clause as it keys a cursor: a cursor from a query with other filters is refused. */
  public String canonical() {
    return field.text() + "|" + op.wire() + "|" + type + "|" + String.join("\u0001", values);
  }
}
