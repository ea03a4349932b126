package io.tenantry.ratelimit;

/** A request to lease from one bucket: up to {@code want} requests' worth, and nothing unless at least {@code need}. */
public record Ask(Bucket bucket, int want, int need) {
}
