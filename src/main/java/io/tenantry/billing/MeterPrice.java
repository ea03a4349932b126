package io.tenantry.billing;

import java.util.ArrayList;
import java.util.List;

/** A meter's price in a plan: units included per month, then graduated tiers. */
public record MeterPrice(long included, List<PriceTier> tiers) {
  public MeterPrice {
    tiers = List.copyOf(tiers);
  }

  /** One priced slice of a quantity: {@code quantity × unitPrice = amount}. */
  public record Slice(int tier, long quantity, long unitPrice, long amount) {
  }

  /**
   * The billable part of {@code quantity} (beyond {@code included}) cut into the tiers, each slice priced; slices of no
   * units are left out. Exact integer arithmetic: an amount beyond a long fails rather than wraps.
   */
  public List<Slice> price(long quantity, long included) {
    long billable = Math.max(0, quantity - included);
    List<Slice> slices = new ArrayList<>();
    long below = 0;
    for (int i = 0; i < tiers.size() && billable > below; i++) {
      PriceTier tier = tiers.get(i);
      long top = tier.upTo() == null ? billable : Math.min(billable, tier.upTo());
      long units = top - below;
      if (units > 0) {
        slices.add(new Slice(i + 1, units, tier.unitPrice(), Math.multiplyExact(units, tier.unitPrice())));
      }
      below = top;
    }
    return slices;
  }
}
