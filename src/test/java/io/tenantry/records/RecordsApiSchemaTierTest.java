package io.tenantry.records;

/** The records API against a schema-tier tenant. */
class RecordsApiSchemaTierTest extends RecordsApiContract {
  @Override
  String isolation() {
    return "schema";
  }
}
