package io.tenantry.billing;

/**
 * A graduated tier: the billable units (those beyond the included quantity) up to {@code upTo} (cumulative, null for
 * the last, open-ended tier) cost {@code unitPrice} minor units each.
 */
public record PriceTier(Long upTo, long unitPrice) {
}
