package io.tenantry.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed file written by {@link Seed}, and a feeder that picks a tenant per virtual user: uniformly, or
 * Zipf-skewed (tenant k of the file with probability proportional to 1/k^s, so a few tenants are hot and the long
 * tail is cold — the realistic case for a cache or a per-tenant cap).
 */
final class SeedFile {
  record Tenant(String slug, String id, String token, String[] recordIds) {
  }

  private SeedFile() {
  }

  static List<Tenant> read(Path file) {
    try {
      List<Tenant> tenants = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.startsWith("slug,")) {
          continue;
        }
        String[] f = line.split(",", 4);
        tenants.add(new Tenant(f[0], f[1], f[2], f[3].isBlank() ? new String[0] : f[3].trim().split(" ")));
      }
      if (tenants.isEmpty()) {
        throw new IllegalStateException(file + " holds no tenants: run the seeding step first");
      }
      return tenants;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the seed file " + file + ": run the seeding step first", e);
    }
  }

  /** An endless feeder of {@code slug, tenantId, token, ids (String[])}. */
  static Iterator<Map<String, Object>> feeder(List<Tenant> tenants, String distribution, double zipfExponent) {
    double[] cumulative = new double[tenants.size()];
    double sum = 0;
    for (int k = 0; k < tenants.size(); k++) {
      sum += distribution.equals("zipf") ? 1.0 / Math.pow(k + 1, zipfExponent) : 1.0;
      cumulative[k] = sum;
    }
    double total = sum;
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        Tenant t = tenants.get(index(cumulative, ThreadLocalRandom.current().nextDouble() * total));
        Map<String, Object> row = new HashMap<>();
        row.put("slug", t.slug());
        row.put("tenantId", t.id());
        row.put("token", t.token());
        row.put("ids", t.recordIds());
        return row;
      }
    };
  }

  /** The first k with cumulative[k] > x. */
  static int index(double[] cumulative, double x) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
