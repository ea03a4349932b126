package io.tenantry.records.query;

import io.tenantry.http.Problem;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterParserTest {
  private static List<Filter> parse(String name, String value) {
    return FilterParser.parse(MultiMap.caseInsensitiveMultiMap().add(name, value));
  }

  @Test
  void valuesAreTypedAsJsonReadsThem() {
    assertThat(parse("filter[total]", "100").get(0).value()).isEqualTo("100");
    assertThat(parse("filter[total]", "\"100\"").get(0).value()).isEqualTo("\"100\"");
    assertThat(parse("filter[status]", "open").get(0).value()).isEqualTo("\"open\"");
    assertThat(parse("filter[flag]", "true").get(0).value()).isEqualTo("true");
    assertThat(parse("filter[a][in]", "1,x,\"2\"").get(0).values()).containsExactly("1", "\"x\"", "\"2\"");
    assertThat(parse("filter[a][in]", "[\"a,b\",3]").get(0).values()).containsExactly("\"a,b\"", "3");
  }

  @Test
  void rangesPickNumbersStringsOrTimes() {
    assertThat(parse("filter[t][gte]", "5").get(0).type()).isEqualTo(Filter.ValueType.NUMBER);
    assertThat(parse("filter[t][gte]", "m").get(0).type()).isEqualTo(Filter.ValueType.STRING);
    Filter time = parse("filter[t][lt]", "2026-11-30T13:00:00+01:00").get(0);
    assertThat(time.type()).isEqualTo(Filter.ValueType.TIMESTAMP);
    assertThat(time.value()).isEqualTo("2026-11-30T12:00:00Z");
    assertThat(parse("filter[created_at][gt]", "2026-11-30T12:00:00Z").get(0).field().kind())
      .isEqualTo(FieldRef.Kind.CREATED_AT);
  }

  @Test
  void anythingOutsideTheGrammarIsRefusedNamingTheParameter() {
    for (String[] bad : List.of(new String[] {"filter[a b]", "1"}, new String[] {"filter[a][like]", "1"},
      new String[] {"filter[a][gt]", "null"}, new String[] {"filter[a][exists]", "yes"},
      new String[] {"filter[a][contains]", "{x"}, new String[] {"filter[created_at][prefix]", "2026"},
      new String[] {"filter[a.b.c.d.e.f.g.h.i]", "1"}, new String[] {"filter[a]x", "1"},
      new String[] {"filter[a'--]", "1"})) {
      assertThatThrownBy(() -> parse(bad[0], bad[1])).as(bad[0]).isInstanceOf(Problem.class);
    }
    assertThatThrownBy(() -> parse("filter[a][zz]", "1")).hasMessageContaining("filter[a][zz]");
  }

  @Test
  void theClauseSqlHoldsPlaceholdersOnly() {
    SqlBuilder b = new SqlBuilder();
    b.bind("tenant");
    b.bind("collection");
    String sql = QuerySql.clause(b, parse("filter[x'y]".replace("'", ""), "'; DROP TABLE x; --").get(0));
    assertThat(sql).doesNotContain("DROP").contains("$3::text[]").contains("$4::text::jsonb");
  }

  private static String withFunctions(String name, String value) {
    SqlBuilder b = new SqlBuilder();
    b.bind("tenant");
    b.bind("collection");
    io.tenantry.tenant.Tenant shared = new io.tenantry.tenant.Tenant(java.util.UUID.randomUUID(), "t-1", "T",
      io.tenantry.tenant.Tenant.Status.ACTIVE, io.tenantry.tenant.Isolation.SHARED, null, 0, null,
      java.time.Instant.now(), null);
    return QuerySql.clause(b, parse(name, value).get(0), FieldFunctions.of(shared));
  }

  @Test
  void withTheFieldFunctionsIndexableClausesAreWrittenOnThemAndHoldPlaceholdersOnly() {
    String text = "(\"shared\".record_text(data, $3::text[]) COLLATE \"C\")";
    assertThat(withFunctions("filter[x]", "'; DROP TABLE x; --")).isEqualTo(text + " = $4::text");
    assertThat(withFunctions("filter[x][in]", "a,b")).isEqualTo(text + " = ANY($4::text[])");
    assertThat(withFunctions("filter[x][prefix]", "ab")).isEqualTo("(" + text + " >= $4::text AND " + text
      + " < $5::text AND starts_with(" + text + ", $4::text))");
    assertThat(withFunctions("filter[x][gt]", "5")).startsWith("(\"shared\".record_number(data, $3::text[]) >= "
      + "\"shared\".record_number_key($4::text::numeric) AND (jsonb_typeof(");
    assertThat(withFunctions("filter[x][lte]", "5")).contains("record_number(data, $3::text[]) <= ");
    assertThat(withFunctions("filter[x][in]", "1,2")).contains(" = ANY(ARRAY[\"shared\".record_number_key($4::text::numeric), "
      + "\"shared\".record_number_key($5::text::numeric)]) AND ");
    assertThat(withFunctions("filter[x][gte]", "2026-01-01T00:00:00Z"))
      .isEqualTo("\"shared\".record_time(data, $3::text[]) >= $4::text::timestamptz");
    // booleans, null, mixed lists, exists and contains stay jsonb comparisons
    assertThat(withFunctions("filter[x]", "true")).isEqualTo("COALESCE(data #> $3::text[], 'null'::jsonb) = $4::text::jsonb");
    assertThat(withFunctions("filter[x][in]", "1,a")).doesNotContain("record_");
    assertThat(withFunctions("filter[x][contains]", "{}")).doesNotContain("record_");
    assertThat(withFunctions("filter[created_at][gte]", "2026-01-01T00:00:00Z")).isEqualTo("created_at >= $3::text::timestamptz");
  }

  @Test
  void aPrefixRangeEndsAtTheLeastStringAfterAllItsExtensions() {
    assertThat(QuerySql.successor("ab")).isEqualTo("ac");
    assertThat(QuerySql.successor("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(QuerySql.successor("a" + Character.toString(Character.MAX_CODE_POINT))).isEqualTo("b");
    assertThat(QuerySql.successor(Character.toString(Character.MAX_CODE_POINT))).isNull();
    assertThat(QuerySql.successor("x\uD83D\uDE00")).isEqualTo("x\uD83D\uDE01");
  }
}
