package io.tenantry.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeds a running Tenantry server through its public API only: N tenants ({@code <prefix>-<i>}), one member user
 * per tenant, an access token for that user in that tenant, and R records per tenant. Writes the seed file the
 * simulations and the wrk script read: a CSV with header {@code slug,tenant_id,token,record_ids} (record ids
 * separated by spaces). Idempotent for tenants and users (409 and "existing user keeps their password" are
 * accepted); records are added on every run.
 *
 * <pre>
 * mvn -f load-tests/pom.xml -q test-compile exec:java@seed -Dseed.args="--base-url http://127.0.0.1:8080
 *   --admin-email admin@tenantry.local --admin-password tenantry-dev-password --tenants 100 --records 20
 *   --out load-tests/target/seed-100.csv"
 * </pre>
 */
public final class Seed {
  private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  private Seed(String base) {
    this.base = base;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = args(argv);
    if (a.containsKey("help")) {
      System.out.println("options: --base-url URL --admin-email E --admin-password P --tenants N --records R "
        + "--isolation shared|schema|database --prefix bench --collection notes --concurrency 8 --out FILE");
      return;
    }
    Seed seed = new Seed(a.getOrDefault("base-url", "http://127.0.0.1:8080"));
    int tenants = Integer.parseInt(a.getOrDefault("tenants", "100"));
    int records = Integer.parseInt(a.getOrDefault("records", "20"));
    String isolation = a.getOrDefault("isolation", "shared");
    String prefix = a.getOrDefault("prefix", "bench");
    String collection = a.getOrDefault("collection", "notes");
    int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "8"));
    Path out = Path.of(a.getOrDefault("out", "target/seed.csv"));

    long start = System.nanoTime();
    String admin = seed.token(a.getOrDefault("admin-email", "admin@tenantry.local"),
      a.getOrDefault("admin-password", "tenantry-dev-password"), null);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<String>> rows = new ArrayList<>();
    for (int i = 1; i <= tenants; i++) {
      String slug = prefix + "-" + i;
      rows.add(pool.submit(() -> seed.tenant(admin, slug, isolation, collection, records)));
    }
    StringBuilder csv = new StringBuilder("slug,tenant_id,token,record_ids\n");
    for (Future<String> row : rows) {
      csv.append(row.get()).append('\n');
    }
    pool.shutdown();
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, csv);
    System.out.printf("seeded %d %s-tier tenants with %d records each in %.1f s -> %s%n",
      tenants, isolation, records, (System.nanoTime() - start) / 1e9, out);
  }

  /** One tenant, its member, its token and its records; returns the CSV row. */
  private String tenant(String admin, String slug, String isolation, String collection, int records) throws Exception {
    HttpResponse<String> created = send("POST", "/admin/v1/tenants", admin, null,
      "{\"slug\":\"" + slug + "\",\"name\":\"Load " + slug + "\",\"isolation\":\"" + isolation + "\"}");
    expect(created, "creating tenant " + slug, 201, 409);
    String email = "user@" + slug + ".load.test";
    String password = "password-of-" + slug;
    expect(send("POST", "/admin/v1/tenants/" + slug + "/users", admin, null,
      "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"role\":\"member\"}"), "adding the user of " + slug, 201);
    String token = token(email, password, slug);
    String tenantId = claim(token, "tenant");
    List<String> ids = new ArrayList<>(records);
    for (int r = 0; r < records; r++) {
      HttpResponse<String> record = send("POST", "/api/v1/collections/" + collection + "/records", token, null, Bodies.record(r));
      expect(record, "creating a record of " + slug, 201);
      ids.add(match(ID, record.body()));
    }
    return slug + "," + tenantId + "," + token + "," + String.join(" ", ids);
  }

  private String token(String email, String password, String tenant) throws Exception {
    String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\""
      + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"") + "}";
    HttpResponse<String> r = send("POST", "/auth/token", null, null, body);
    expect(r, "token for " + email, 200);
    return match(TOKEN, r.body());
  }

  private HttpResponse<String> send(String method, String path, String token, String tenant, String body)
    throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
      .header("Content-Type", "application/json")
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      b.header("X-Tenant-ID", tenant);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, String what, int... statuses) {
    for (int s : statuses) {
      if (r.statusCode() == s) {
        return;
      }
    }
    throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
  }

  private static String match(Pattern p, String text) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("unexpected response: " + text);
    }
    return m.group(1);
  }

  /** A claim of a JWT's payload, read without verifying (the server did). */
  static String claim(String jwt, String name) {
    String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
    return match(Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\""), payload);
  }

  private static Map<String, String> args(String[] argv) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + argv[i]);
      }
      String key = argv[i].substring(2);
      if (key.equals("help")) {
        a.put(key, "");
      } else {
        a.put(key, argv[++i]);
      }
    }
    return a;
  }
}
