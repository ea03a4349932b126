package io.tenantry.metrics;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A scrape parsed by a real Prometheus text-format parser: the Prometheus Python client's
 * (prometheus_client.parser, Debian's python3-prometheus-client; no maintained Java parser of the text format is
 * on Maven Central). A malformed exposition fails the parse, and so the test.
 */
record MetricsScrape(List<Sample> samples) {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  record Sample(String family, String type, String name, Map<String, String> labels, double value) {
  }

  static void assumeParser() {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON) && run("import prometheus_client.parser") == 0,
      "needs Debian's python3-prometheus-client (.ci/run installs it)");
  }

  static MetricsScrape parse(String text) {
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), Path.of("src/test/resources/metrics/parse_scrape.py").toString())
        .redirectErrorStream(false).start();
      try (var in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("the Prometheus parser refused the scrape: " + err);
      }
      List<Sample> samples = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject j = new JsonObject(line);
        Map<String, String> labels = new java.util.TreeMap<>();
        j.getJsonObject("labels").forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
        samples.add(new Sample(j.getString("family"), j.getString("type"), j.getString("name"), labels,
          j.getDouble("value")));
      }
      return new MetricsScrape(samples);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int run(String code) {
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", code).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : 1;
    } catch (IOException | InterruptedException e) {
      return 1;
    }
  }

  List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  List<Sample> named(String name, Predicate<Sample> where) {
    return named(name).stream().filter(where).toList();
  }

  double sum(String name, Predicate<Sample> where) {
    return named(name, where).stream().mapToDouble(Sample::value).sum();
  }

  static Predicate<Sample> label(String label, String value) {
    return s -> Objects.equals(s.labels().get(label), value);
  }
}
