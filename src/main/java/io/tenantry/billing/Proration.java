package io.tenantry.billing;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;

/**
 * The share of a monthly amount for part of a month, by seconds: amount × part ÷ whole, rounded half up to a whole
 * minor unit. Exact (no floating point), so the same inputs always give the same amount.
 */
public final class Proration {
  private Proration() {
  }

  public static long share(long amount, long partSeconds, long wholeSeconds) {
    if (partSeconds >= wholeSeconds) {
      return amount;
    }
    if (partSeconds <= 0) {
      return 0;
    }
    BigInteger product = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(partSeconds));
    return new BigDecimal(product).divide(BigDecimal.valueOf(wholeSeconds), 0, RoundingMode.HALF_UP).longValueExact();
  }
}
