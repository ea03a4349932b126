package io.tenantry.pipeline;

import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FailedResolutionsTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final FailedResolutions failures = new FailedResolutions(3, 60_000, now::get);

  @Test
  void aCallerIsExhaustedOnlyPastItsAllowanceWithinTheWindow() {
    UUID caller = UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      failures.record(caller);
      assertThat(failures.exhausted(caller)).isFalse();
    }
    failures.record(caller);
    assertThat(failures.exhausted(caller)).isTrue();
    assertThat(failures.exhausted(UUID.randomUUID())).isFalse();
  }

  @Test
  void aNewWindowStartsAfresh() {
    UUID caller = UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      failures.record(caller);
    }
    assertThat(failures.exhausted(caller)).isTrue();
    now.addAndGet(60_000);
    assertThat(failures.exhausted(caller)).isFalse();
    failures.record(caller);
    assertThat(failures.exhausted(caller)).isFalse();
  }

  @Test
  void theRetryAfterCoversTheWindow() {
    assertThat(failures.tooMany().status()).isEqualTo(429);
    assertThat(failures.tooMany().headers()).containsEntry("Retry-After", "60");
  }
}
