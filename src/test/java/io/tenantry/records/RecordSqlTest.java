package io.tenantry.records;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant key is load-bearing: with the session-level tenant context (db.tenant-context: session) a context
 * that is somehow stale must yield nothing, which holds only because every statement also names the tenant.
 */
class RecordSqlTest {
  @ParameterizedTest
  @ValueSource(strings = {"shared", "t_0123456789abcdef0123456789abcdef", "tenant"})
  void everyStatementIsKeyedByTheTenantAsItsFirstParameter(String schema) {
    RecordSql sql = RecordSql.forSchema(schema);
    for (String statement : List.of(sql.get(), sql.lock(), sql.update(), sql.delete(), sql.listFirst(), sql.listAfter())) {
      assertThat(statement).as(statement).contains("WHERE tenant_id = $1 AND ");
    }
    assertThat(sql.insert()).contains("(tenant_id, collection, id, data) VALUES ($1, ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"shared", "t_0123456789abcdef0123456789abcdef", "tenant"})
  void everyStatementNamesItsSchemaQualifiedTable(String schema) {
    RecordSql sql = RecordSql.forSchema(schema);
    for (String statement : List.of(sql.insert(), sql.get(), sql.lock(), sql.update(), sql.delete(), sql.listFirst(),
      sql.listAfter())) {
      assertThat(statement).contains("\"" + schema + "\".records");
    }
  }
}
