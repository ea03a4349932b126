package io.tenantry.billing;

import io.tenantry.http.Problem;
import io.tenantry.metering.Meter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's prices: a currency, a monthly base fee and per-meter included quantities and graduated tiers, all in
 * integer minor units. A plan without prices is free in the default currency.
 */
public record PlanPricing(String plan, String currency, long baseFee, Map<Meter, MeterPrice> meters) {
  public PlanPricing {
    meters = meters.isEmpty() ? Map.of() : new EnumMap<>(meters);
  }

  public static PlanPricing free(String plan, String currency) {
    return new PlanPricing(plan, currency, 0, Map.of());
  }

  /** @throws Problem 400 naming the field: unknown meters, negative prices, tiers out of order */
  public static PlanPricing fromJson(String plan, JsonObject body) {
    String currency = body.getValue("currency") instanceof String c ? c : "";
    if (!currency.matches("[A-Z]{3}")) {
      throw Problem.badRequest("currency must be an ISO 4217 code of three capital letters, such as EUR");
    }
    long baseFee = amount(body.getValue("base_fee"), "base_fee");
    Map<Meter, MeterPrice> meters = new EnumMap<>(Meter.class);
    JsonObject given = body.getValue("meters") instanceof JsonObject m ? m : new JsonObject();
    for (String id : given.fieldNames()) {
      Meter meter = Meter.parse(id);
      JsonObject price = given.getValue(id) instanceof JsonObject p ? p : null;
      if (price == null) {
        throw Problem.badRequest("meters." + id + " must be an object with included and tiers");
      }
      meters.put(meter, meterPrice(id, price));
    }
    return new PlanPricing(plan, currency, baseFee, meters);
  }

  private static MeterPrice meterPrice(String id, JsonObject price) {
    long included = price.getValue("included") == null ? 0 : amount(price.getValue("included"), "meters." + id + ".included");
    JsonArray tiers = price.getValue("tiers") instanceof JsonArray t ? t : new JsonArray();
    if (tiers.isEmpty()) {
      throw Problem.badRequest("meters." + id + ".tiers must hold at least one tier");
    }
    List<PriceTier> out = new ArrayList<>();
    long previous = 0;
    for (int i = 0; i < tiers.size(); i++) {
      String at = "meters." + id + ".tiers[" + i + "]";
      JsonObject tier = tiers.getValue(i) instanceof JsonObject o ? o : null;
      if (tier == null) {
        throw Problem.badRequest(at + " must be an object with up_to and unit_price");
      }
      long unitPrice = amount(tier.getValue("unit_price"), at + ".unit_price");
      Object upTo = tier.getValue("up_to");
      boolean last = i == tiers.size() - 1;
      if (upTo == null) {
        if (!last) {
          throw Problem.badRequest(at + ".up_to may be null only in the last tier");
        }
        out.add(new PriceTier(null, unitPrice));
      } else {
        long bound = amount(upTo, at + ".up_to");
        if (bound <= previous) {
          throw Problem.badRequest(at + ".up_to must be greater than the tier before it (" + previous + ")");
        }
        if (last) {
          throw Problem.badRequest(at + ".up_to must be null: the last tier is open-ended");
        }
        out.add(new PriceTier(bound, unitPrice));
        previous = bound;
      }
    }
    return new MeterPrice(included, out);
  }

  private static long amount(Object value, String field) {
    if (!(value instanceof Number n) || value instanceof Double || value instanceof Float) {
      throw Problem.badRequest(field + " must be a whole number of minor units");
    }
    long amount = n.longValue();
    if (amount < 0) {
      throw Problem.badRequest(field + " must not be negative, got " + amount);
    }
    return amount;
  }

  public JsonObject toJson() {
    JsonObject meterJson = new JsonObject();
    meters.forEach((meter, price) -> {
      JsonArray tiers = new JsonArray();
      price.tiers().forEach(t -> tiers.add(new JsonObject().put("up_to", t.upTo()).put("unit_price", t.unitPrice())));
      meterJson.put(meter.id(), new JsonObject().put("included", price.included()).put("tiers", tiers));
    });
    return new JsonObject().put("plan", plan).put("currency", currency).put("base_fee", baseFee).put("meters", meterJson);
  }
}
