package io.tenantry.billing;

import io.tenantry.metering.Meter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Invoice arithmetic over random usage and plans: reproducible, rolled up exactly, tiers covering every unit. */
class InvoicePropertiesTest {
  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
  private static final UUID PARENT = UUID.fromString("00000000-0000-0000-0000-000000000001");

  @Property(tries = 200)
  void recomputingAnInvoiceGivesTheSameInvoice(@ForAll("accounts") List<InvoiceCalculator.Account> accounts,
                                               @ForAll long seed) {
    List<InvoiceCalculator.Account> shuffled = new ArrayList<>(accounts);
    Collections.shuffle(shuffled, new Random(seed));
    assertThat(InvoiceCalculator.compute(START, END, PARENT, "EUR", shuffled))
      .isEqualTo(InvoiceCalculator.compute(START, END, PARENT, "EUR", accounts));
  }

  @Property(tries = 200)
  void aParentsInvoiceIsTheSumOfWhatEachTenantWouldPayAlone(@ForAll("accounts") List<InvoiceCalculator.Account> accounts) {
    InvoiceCalculator.Draft rolledUp = InvoiceCalculator.compute(START, END, PARENT, "EUR", accounts);
    long sum = 0;
    for (InvoiceCalculator.Account account : accounts) {
      long alone = InvoiceCalculator.compute(START, END, account.tenantId(), "EUR", List.of(account)).total();
      assertThat(rolledUp.subtotal(account.tenantId())).as(account.slug()).isEqualTo(alone);
      sum += alone;
    }
    assertThat(rolledUp.total()).isEqualTo(sum)
      .isEqualTo(rolledUp.lines().stream().mapToLong(InvoiceLine::amount).sum());
    rolledUp.lines().forEach(line -> assertThat(line.quantity() * line.unitPrice()).isEqualTo(line.amount()));
  }

  @Property(tries = 500)
  void tiersPriceEveryBillableUnitOnce(@ForAll("meterPrices") MeterPrice price,
                                       @ForAll @LongRange(max = 10_000_000) long quantity) {
    List<MeterPrice.Slice> slices = price.price(quantity, price.included());
    assertThat(slices.stream().mapToLong(MeterPrice.Slice::quantity).sum())
      .isEqualTo(Math.max(0, quantity - price.included()));
    slices.forEach(s -> assertThat(s.amount()).isEqualTo(s.quantity() * s.unitPrice()).isNotNegative());
  }

  @Property(tries = 300)
  void proratedSharesOfAPeriodAddUpToTheWholeWithinOneUnitPerShare(
    @ForAll @LongRange(max = 100_000_000) long fee, @ForAll @IntRange(min = 1, max = 10) int parts, @ForAll long seed) {
    long whole = START.until(END, ChronoUnit.SECONDS);
    Random random = new Random(seed);
    List<Long> cuts = new ArrayList<>();
    for (int i = 1; i < parts; i++) {
      cuts.add(1 + (long) (random.nextDouble() * (whole - 1)));
    }
    cuts.add(0L);
    cuts.add(whole);
    Collections.sort(cuts);
    long sum = 0;
    for (int i = 1; i < cuts.size(); i++) {
      sum += Proration.share(fee, cuts.get(i) - cuts.get(i - 1), whole);
    }
    assertThat(Math.abs(sum - fee)).isLessThanOrEqualTo(parts);
  }

  @Provide
  Arbitrary<MeterPrice> meterPrices() {
    Arbitrary<Long> included = Arbitraries.longs().between(0, 100_000);
    Arbitrary<List<Long>> bounds = Arbitraries.longs().between(1, 1_000_000).set().ofMaxSize(4)
      .map(set -> set.stream().sorted().toList());
    Arbitrary<List<Long>> prices = Arbitraries.longs().between(0, 1000).list().ofSize(5);
    return Combinators.combine(included, bounds, prices).as((inc, ups, unit) -> {
      List<PriceTier> tiers = new ArrayList<>();
      for (int i = 0; i < ups.size(); i++) {
        tiers.add(new PriceTier(ups.get(i), unit.get(i)));
      }
      tiers.add(new PriceTier(null, unit.get(ups.size())));
      return new MeterPrice(inc, tiers);
    });
  }

  @Provide
  Arbitrary<List<InvoiceCalculator.Account>> accounts() {
    Arbitrary<PlanPricing> plans = Combinators.combine(Arbitraries.longs().between(0, 100_000),
        meterPrices().map(p -> Map.of(Meter.REQUESTS_READ, p)), meterPrices())
      .as((fee, reads, writes) -> {
        Map<Meter, MeterPrice> meters = new EnumMap<>(reads);
        meters.put(Meter.REQUESTS_WRITE, writes);
        return new PlanPricing("p" + fee, "EUR", fee, meters);
      });
    Arbitrary<Map<Meter, Long>> usage = Combinators.combine(Arbitraries.longs().between(0, 5_000_000),
      Arbitraries.longs().between(0, 5_000_000)).as((r, w) -> Map.of(Meter.REQUESTS_READ, r, Meter.REQUESTS_WRITE, w));
    Arbitrary<InvoiceCalculator.Segment> firstHalf = Combinators.combine(plans, usage)
      .as((plan, used) -> new InvoiceCalculator.Segment(plan, START, Instant.parse("2026-11-17T13:00:00Z"), used));
    Arbitrary<InvoiceCalculator.Segment> secondHalf = Combinators.combine(plans, usage)
      .as((plan, used) -> new InvoiceCalculator.Segment(plan, Instant.parse("2026-11-17T13:00:00Z"), END, used));
    Arbitrary<InvoiceCalculator.Account> account = Combinators.combine(firstHalf, secondHalf,
        Arbitraries.strings().withCharRange('a', 'z').ofLength(6), Arbitraries.create(UUID::randomUUID))
      .as((a, b, slug, id) -> new InvoiceCalculator.Account(id, slug, List.of(a, b)));
    Arbitrary<InvoiceCalculator.Account> parent = Combinators.combine(firstHalf, secondHalf)
      .as((a, b) -> new InvoiceCalculator.Account(PARENT, "parent", List.of(a, b)));
    return Combinators.combine(parent, account.list().ofMaxSize(5))
      .as((p, children) -> {
        List<InvoiceCalculator.Account> all = new ArrayList<>(children);
        all.add(p);
        return all;
      });
  }
}
