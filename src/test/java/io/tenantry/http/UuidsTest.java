package io.tenantry.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class UuidsTest {
  @Test
  void idsMadeInTheSameMillisecondStillSortInCreationOrder() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) { // far more than one millisecond's worth of the 4,096 a counter holds
      ids.add(Uuids.v7());
    }
    List<String> asText = ids.stream().map(UUID::toString).toList();
    assertThat(asText).isSorted().doesNotHaveDuplicates();
    assertThat(ids).allSatisfy(id -> {
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
    });
  }

  @Test
  void theTimestampIsTheCurrentTime() {
    long before = System.currentTimeMillis();
    long stamp = Uuids.v7().getMostSignificantBits() >>> 16;
    assertThat(stamp).isBetween(before, System.currentTimeMillis() + 1000);
  }
}
