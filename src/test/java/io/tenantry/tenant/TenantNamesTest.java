package io.tenantry.tenant;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TenantNamesTest {
  private static final UUID ID = UUID.fromString("01a219f6-6a58-7550-a5b3-ac6522c808fe");

  @Test
  void schemaNamesComeFromTheIdAlone() {
    assertThat(TenantNames.schema(ID)).isEqualTo("t_01a219f66a587550a5b3ac6522c808fe").matches("t_[0-9a-f]{32}");
  }

  @Test
  void databaseNamesStartWithThePlatformDatabaseAndFitPostgresLimit() {
    String longest = "a".repeat(28); // db.name allows at most 28 bytes
    String name = TenantNames.database(longest, ID);
    assertThat(name).startsWith(longest + "_t_").endsWith("01a219f66a587550a5b3ac6522c808fe");
    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
  }

  @Test
  void differentTenantsNeverShareANameEvenWhenCreatedTheSameMillisecond() {
    UUID twin = new UUID(ID.getMostSignificantBits(), ID.getLeastSignificantBits() ^ 1);
    assertThat(TenantNames.schema(twin)).isNotEqualTo(TenantNames.schema(ID));
    assertThat(TenantNames.database("tenantry", twin)).isNotEqualTo(TenantNames.database("tenantry", ID));
  }
}
