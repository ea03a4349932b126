package io.tenantry.records;

import io.tenantry.data.TenantDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every statement carries its own tenant context (db.tenant-context: statement, the default, sends nothing else)
 * and names the tenant as its key, both from $1: a statement without the context would see nothing, and one whose
 * context and key disagreed would match nothing.
 */
class RecordSqlTest {
  @ParameterizedTest
  @ValueSource(strings = {"shared", "t_0123456789abcdef0123456789abcdef", "tenant"})
  void everyStatementIsKeyedByTheTenantAsItsFirstParameter(String schema) {
    RecordSql sql = RecordSql.forSchema(schema);
    for (String statement : List.of(sql.get(), sql.lock(), sql.update(), sql.delete(), sql.listFirst(), sql.listAfter())) {
      assertThat(statement).as(statement).contains("WHERE tenant_id = $1 AND ").contains(" AND " + TenantDb.CONTEXT);
    }
    assertThat(sql.insert()).contains("(tenant_id, collection, id, data) SELECT $1::uuid, ")
      .contains(" WHERE " + TenantDb.CONTEXT + " RETURNING ");
    assertThat(TenantDb.CONTEXT).contains("set_config('app.tenant_id', $1::uuid::text, true)");
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
