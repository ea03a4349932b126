package io.tenantry.records.query;

/**
 * {@code sort=<field>} ascending or {@code sort=-<field>} descending; the record id breaks ties (in the same
 * direction), which makes the order total and keyset paging stable. Without {@code sort}: by id, which is creation
 * order (ids are UUIDv7). A data path that is absent or JSON null sorts as JSON null: first ascending, last
 * descending; values of different JSON types sort by type (null, strings, numbers, booleans, arrays, objects).
 */
public record SortSpec(FieldRef field, boolean descending) {
  public static final SortSpec BY_ID = new SortSpec(null, false);

  public static SortSpec parse(String value) {
    if (value == null) {
      return BY_ID;
    }
    boolean descending = value.startsWith("-");
    String name = descending ? value.substring(1) : value;
    if (name.equals("id")) {
      return new SortSpec(null, descending);
    }
    return new SortSpec(FieldRef.parse(name, "sort"), descending);
  }

  public boolean byId() {
    return field == null;
  }

  public String canonical() {
    return (descending ? "-" : "") + (field == null ? "id" : field.text());
  }
}
