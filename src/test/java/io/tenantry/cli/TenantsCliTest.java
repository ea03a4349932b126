package io.tenantry.cli;

import io.tenantry.support.MailedTokens;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenants CLI run in-process against a real server (docs/tenants.md#the-tenants-cli). */
class TenantsCliTest {
  private static final String TENANTS = "/admin/v1/tenants/";
  private static TestServer ts;
  private static String superAdmin;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    superAdmin = ts.adminToken();
    ts.createTenant(superAdmin, "cli-home");
    ts.addUser(superAdmin, "cli-home", "ann@cli.test", "member");
    ts.addUser(superAdmin, "cli-home", "bob@cli.test", "member");
    HttpResponse<Buffer> plan = ts.api.put("/admin/v1/plans/pro", superAdmin,
      new JsonObject().put("rate", 500).put("burst", 1000), null);
    assertThat(plan.statusCode()).as(plan.bodyAsString()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  record Run(int exit, String out, String err) {
  }

  private static Run cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = TenantsCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> asSuperAdmin() {
    Map<String, String> env = new HashMap<>();
    env.put("TENANTRY_SERVER", "http://127.0.0.1:" + ts.config.httpPort());
    env.put("TENANTRY_TOKEN", superAdmin);
    return env;
  }

  private static Run cli(String... args) {
    return cli(asSuperAdmin(), args);
  }

  private Path file(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "tenants", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static JsonObject get(String path) {
    HttpResponse<Buffer> r = ts.api.get(path, superAdmin);
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static int status(String path) {
    return ts.api.get(path, superAdmin).statusCode();
  }

  private static String role(String slug, String email) {
    return get(TENANTS + slug + "/users?email_prefix=" + email).getJsonArray("items").stream()
      .map(JsonObject.class::cast).filter(m -> email.equals(m.getString("email")))
      .map(m -> m.getString("role")).findFirst().orElse(null);
  }

  /** The e-mails of the tenant's pending tenant_admin invitations. */
  private static java.util.List<String> pendingAdmins(String slug) {
    return get(TENANTS + slug + "/invitations?state=pending").getJsonArray("items").stream()
      .map(JsonObject.class::cast).filter(i -> "tenant_admin".equals(i.getString("role")))
      .map(i -> i.getString("email")).toList();
  }

  private static void accept(String email, String password) {
    HttpResponse<Buffer> r = ts.api.post("/auth/invitations/accept", null,
      new JsonObject().put("token", MailedTokens.newest(ts.config, email)).put("password", password));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
  }

  @Test
  void applyCreatesAHierarchyWithConfigurationPlansAndAdminsAndTheSecondRunChangesNothing() throws IOException {
    Path file = file("""
      tenants:
        - slug: app-child-b
          name: Child B
          parent: app-root
          config: {time_zone: Europe/Zurich}
        - slug: app-root
          name: Root Corp
          plan: pro
          config:
            locale: de-CH
            features.new_editor: true
          admins: [ann@cli.test]
        - slug: app-grandchild
          name: Grandchild
          parent: app-child-b
          isolation: schema
          admins: [bob@cli.test]
      """);

    Run first = cli("apply", "-f", file.toString());

    assertThat(first.exit()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("+ create tenant app-root \"Root Corp\" (default tier, top-level)",
      "+ create tenant app-child-b \"Child B\" (default tier, under app-root)",
      "+ create tenant app-grandchild \"Grandchild\" (schema, under app-child-b)",
      "~ plan app-root: pro", "+ config app-root: locale = \"de-CH\"",
      "+ admin app-root: ann@cli.test (invitation: a member once accepted)",
      "applied 9 change(s) to 3 tenant(s): 3 created; 0 failed, 0 skipped; 0 up to date");
    JsonObject root = get(TENANTS + "app-root");
    assertThat(root.getString("parent")).isNull();
    assertThat(get(TENANTS + "app-child-b").getString("parent")).isEqualTo("app-root");
    JsonObject grandchild = get(TENANTS + "app-grandchild");
    assertThat(grandchild.getString("parent")).isEqualTo("app-child-b");
    assertThat(grandchild.getString("isolation")).isEqualTo("schema");
    assertThat(get(TENANTS + "app-root/config").getJsonObject("values"))
      .isEqualTo(new JsonObject().put("locale", "de-CH").put("features.new_editor", true));
    assertThat(get(TENANTS + "app-child-b/config").getJsonObject("values"))
      .isEqualTo(new JsonObject().put("time_zone", "Europe/Zurich"));
    assertThat(get(TENANTS + "app-root/limits").getString("plan")).isEqualTo("pro");
    assertThat(pendingAdmins("app-root")).containsExactly("ann@cli.test");
    assertThat(pendingAdmins("app-grandchild")).containsExactly("bob@cli.test");
    assertThat(role("app-root", "ann@cli.test")).as("a member once accepted").isNull();

    Run second = cli("apply", "-f", file.toString());

    assertThat(second.exit()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).as("a pending invitation is not made again").isEqualTo("no changes (3 tenant(s) up to date)\n");
    assertThat(pendingAdmins("app-root")).containsExactly("ann@cli.test");
    accept("ann@cli.test", "password-of-ann@cli.test");
    accept("bob@cli.test", "password-of-bob@cli.test");
    assertThat(role("app-root", "ann@cli.test")).isEqualTo("tenant_admin");
    assertThat(role("app-grandchild", "bob@cli.test")).isEqualTo("tenant_admin");
    assertThat(cli("apply", "-f", file.toString()).out()).isEqualTo("no changes (3 tenant(s) up to date)\n");
    Run dry = cli("apply", "-f", file.toString(), "--dry-run");
    assertThat(dry.exit()).isZero();
    assertThat(dry.out()).startsWith("no changes");
  }

  @Test
  void dryRunPrintsThePlanChangesNothingAndExitsThree() throws IOException {
    Path file = file("""
      tenants:
        - slug: dry-root
          name: Dry
          config: {locale: fr}
        - slug: dry-child
          name: Dry child
          parent: dry-root
      """);

    Run dry = cli("apply", "--dry-run", "-f", file.toString());

    assertThat(dry.exit()).as(dry.out() + dry.err()).isEqualTo(ExitCodes.CHANGES_PENDING);
    assertThat(dry.out()).contains("dry run: nothing is changed", "+ create tenant dry-root \"Dry\"",
      "+ config dry-root: locale = \"fr\"", "+ create tenant dry-child \"Dry child\" (default tier, under dry-root)",
      "3 change(s) to make: 2 tenant(s) to create, 0 not supported; 0 tenant(s) up to date");
    assertThat(status(TENANTS + "dry-root")).isEqualTo(404);
    assertThat(status(TENANTS + "dry-child")).isEqualTo(404);
  }

  @Test
  void aBadFileIsRefusedWithItsLinesAndNothingChanges() throws IOException {
    Path file = file("""
      tenants:
        - slug: bad-one
          name: Fine so far
        - slug: Bad_Slug
          name: x
          colour: blue
        - slug: bad-two
          name: Two
          parent: bad-three
        - slug: bad-three
          name: Three
          parent: bad-two
        - slug: bad-four
          name: Four
          isolation: cloud
          admins: [not-an-email]
        - slug: bad-one
          name: Again
      """);

    Run run = cli("apply", "-f", file.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    String f = file.toString();
    assertThat(run.err()).contains(
      f + ":4: slug \"Bad_Slug\" must be 3-63 of a-z, 0-9 and -",
      f + ":6: unknown key \"colour\"",
      f + ":15: isolation must be shared, schema or database, not \"cloud\"",
      f + ":16: admin not-an-email is not an e-mail address",
      f + ":17: tenant bad-one is already defined at line 2",
      f + ":7: parents form a cycle: bad-two -> bad-three -> bad-two",
      "nothing was changed");
    assertThat(status(TENANTS + "bad-one")).isEqualTo(404);
  }

  @Test
  void yamlThatDoesNotParseIsRefusedWithItsLine() throws IOException {
    Path file = file("""
      tenants:
        - slug: yaml-one
          name: [unclosed
        - slug: yaml-two
      """);

    Run run = cli("apply", "-f", file.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith(file + ":4: not valid YAML:");
  }

  @Test
  void referencesToWhatTheServerLacksAreRefusedBeforeAnyChange() throws IOException {
    Path file = file("""
      tenants:
        - slug: ref-one
          name: One
        - slug: ref-two
          name: Two
          parent: ref-nowhere
        - slug: ref-three
          name: Three
          plan: platinum
          config: {colour: red}
      """);

    Run run = cli("apply", "-f", file.toString());

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    String f = file.toString();
    assertThat(run.err()).contains(f + ":4: parent ref-nowhere is neither in the file nor on the server",
      f + ":7: plan platinum does not exist", f + ":7: config colour is not a setting", "nothing was changed");
    assertThat(status(TENANTS + "ref-one")).isEqualTo(404);
  }

  @Test
  void applyUpdatesExistingTenantsAndReportsWhatItCannotChange() throws IOException {
    ts.createTenant(superAdmin, "upd-a");
    ts.createTenant(superAdmin, "upd-b");
    assertThat(ts.api.put(TENANTS + "upd-b/config/locale", superAdmin, new JsonObject().put("value", "en"), null)
      .statusCode()).isEqualTo(200);
    assertThat(ts.api.put(TENANTS + "upd-b/config/time_zone", superAdmin, new JsonObject().put("value", "UTC"), null)
      .statusCode()).isEqualTo(200);
    assertThat(ts.api.put(TENANTS + "upd-b/limits", superAdmin, new JsonObject().put("rate", 7), null)
      .statusCode()).isEqualTo(200);
    ts.addUser(superAdmin, "upd-b", "carl@cli.test", "member");
    Path file = file("""
      tenants:
        - slug: upd-a
          name: Tenant upd-a
        - slug: upd-b
          name: Tenant upd-b
          parent: upd-a
          isolation: database
          plan: pro
          config: {locale: it}
          admins: [carl@cli.test, dana@cli.test]
      """);

    Run run = cli("apply", "-f", file.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).contains("! tenant upd-b: isolation shared -> database is not supported",
      "~ move tenant upd-b: top level -> upd-a", "~ plan upd-b: default -> pro",
      "~ config upd-b: locale = \"it\" (was \"en\")", "- config upd-b: time_zone (was \"UTC\")",
      "~ admin upd-b: carl@cli.test (member -> tenant_admin)",
      "+ admin upd-b: dana@cli.test (invitation: a member once accepted)", "1 failed");
    assertThat(get(TENANTS + "upd-b").getString("parent")).isEqualTo("upd-a");
    assertThat(get(TENANTS + "upd-b").getString("isolation")).isEqualTo("shared");
    JsonObject limits = get(TENANTS + "upd-b/limits");
    assertThat(limits.getString("plan")).isEqualTo("pro");
    assertThat(limits.getInteger("rate")).as("the override is kept").isEqualTo(7);
    assertThat(get(TENANTS + "upd-b/config").getJsonObject("values")).isEqualTo(new JsonObject().put("locale", "it"));
    assertThat(role("upd-b", "carl@cli.test")).isEqualTo("tenant_admin");
    assertThat(pendingAdmins("upd-b")).containsExactly("dana@cli.test");

    Path rename = file("""
      tenants:
        - slug: upd-a
          name: A new name
      """);
    Run dryRename = cli("apply", "--dry-run", "-f", rename.toString());
    assertThat(dryRename.exit()).as(dryRename.out() + dryRename.err()).isEqualTo(ExitCodes.CHANGES_PENDING);
    assertThat(dryRename.out()).contains("~ rename tenant upd-a: \"Tenant upd-a\" -> \"A new name\"");
    assertThat(get(TENANTS + "upd-a").getString("name")).isEqualTo("Tenant upd-a");
    Run renamed = cli("apply", "-f", rename.toString());
    assertThat(renamed.exit()).as(renamed.out() + renamed.err()).isZero();
    assertThat(get(TENANTS + "upd-a").getString("name")).isEqualTo("A new name");
    assertThat(cli("apply", "-f", rename.toString()).out()).startsWith("no changes");
  }

  @Test
  void aParentAndItsChildSwapPlacesInOneRun() throws IOException {
    ts.createTenant(superAdmin, "swap-upper");
    HttpResponse<Buffer> child = ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", "swap-lower").put("name", "Tenant swap-lower").put("parent", "swap-upper"));
    assertThat(child.statusCode()).as(child.bodyAsString()).isEqualTo(201);
    Path file = file("""
      tenants:
        - slug: swap-upper
          name: Tenant swap-upper
          parent: swap-lower
        - slug: swap-lower
          name: Tenant swap-lower
      """);

    Run run = cli("apply", "-f", file.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("~ move tenant swap-lower: swap-upper -> top level",
      "~ move tenant swap-upper: top level -> swap-lower");
    assertThat(get(TENANTS + "swap-lower").getString("parent")).isNull();
    assertThat(get(TENANTS + "swap-upper").getString("parent")).isEqualTo("swap-lower");
    assertThat(cli("apply", "-f", file.toString()).out()).startsWith("no changes");
  }

  @Test
  void aParentsTenantAdminAppliesBelowItsOwnTenant() throws IOException {
    ts.createTenant(superAdmin, "dlg-parent");
    ts.addUser(superAdmin, "dlg-parent", "dora@cli.test", "tenant_admin");
    Map<String, String> env = new HashMap<>();
    env.put("TENANTRY_SERVER", "http://127.0.0.1:" + ts.config.httpPort());
    env.put("TENANTRY_EMAIL", "dora@cli.test");
    env.put("TENANTRY_PASSWORD", "password-of-dora@cli.test");
    Path file = file("""
      tenants:
        - slug: dlg-child
          name: Delegated child
          parent: dlg-parent
          config: {locale: nl}
      """);

    Run run = cli(env, "apply", "-f", file.toString(), "--tenant", "dlg-parent");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("+ create tenant dlg-child \"Delegated child\" (default tier, under dlg-parent)",
      "+ config dlg-child: locale = \"nl\"");
    assertThat(get(TENANTS + "dlg-child").getString("parent")).isEqualTo("dlg-parent");
    assertThat(get(TENANTS + "dlg-child/config").getJsonObject("values")).isEqualTo(new JsonObject().put("locale", "nl"));
    assertThat(cli(env, "apply", "-f", file.toString(), "--tenant", "dlg-parent").out()).startsWith("no changes");

    Run invite = cli(env, "apply", "-f", file("""
      tenants:
        - slug: dlg-child
          name: Delegated child
          parent: dlg-parent
          admins: [erin@cli.test]
        - slug: dlg-second
          name: Second child
          parent: dlg-parent
          admins: [erin@cli.test]
      """).toString(), "--tenant", "dlg-parent");
    assertThat(invite.exit()).as(invite.out() + invite.err()).isZero();
    assertThat(invite.out()).contains("+ admin dlg-second: erin@cli.test (invitation: a member once accepted)",
      "+ admin dlg-child: erin@cli.test (invitation: a member once accepted)");
    // the parent's admin lists the children's pending invitations too, so nothing is sent twice
    Path again = file("""
      tenants:
        - slug: dlg-child
          name: Delegated child
          parent: dlg-parent
          admins: [erin@cli.test]
        - slug: dlg-second
          name: Second child
          parent: dlg-parent
          admins: [erin@cli.test]
      """);
    assertThat(cli(env, "apply", "-f", again.toString(), "--tenant", "dlg-parent").out()).startsWith("no changes");
  }

  @Test
  void aRefusedCreationSkipsItsChildrenAndAnAdminWithoutAnAccountIsInvited() throws IOException {
    Path file = file("""
      tenants:
        - slug: tpl-root
          name: Templated
          template: no-such-template
        - slug: tpl-child
          name: Child of templated
          parent: tpl-root
        - slug: tpl-newadmin
          name: New admin
          admins: [nobody-yet@cli.test]
      """);

    Run run = cli("apply", "-f", file.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).contains(
      "! failed: create tenant tpl-root \"Templated\" (default tier, top-level, template no-such-template): ",
      "! skipped: create tenant tpl-child",
      "+ admin tpl-newadmin: nobody-yet@cli.test (invitation: a member once accepted)");
    assertThat(status(TENANTS + "tpl-root")).isEqualTo(404);
    assertThat(status(TENANTS + "tpl-child")).isEqualTo(404);
    assertThat(status(TENANTS + "tpl-newadmin")).as("the rest is applied").isEqualTo(200);
    assertThat(pendingAdmins("tpl-newadmin")).containsExactly("nobody-yet@cli.test");

    accept("nobody-yet@cli.test", "a-long-enough-new-passphrase");

    assertThat(role("tpl-newadmin", "nobody-yet@cli.test")).isEqualTo("tenant_admin");
  }

  @Test
  void lifecycleCommandsMoveATenantThroughItsStates() {
    ts.createTenant(superAdmin, "life-one");

    assertThat(cli("suspend", "life-one").out()).isEqualTo("suspended life-one: active -> suspended\n");
    assertThat(get(TENANTS + "life-one").getString("status")).isEqualTo("suspended");
    Run again = cli("suspend", "life-one");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).isEqualTo("no change: life-one is suspended\n");
    assertThat(cli("resume", "life-one").out()).isEqualTo("resumed life-one: suspended -> active\n");
    assertThat(cli("archive", "life-one").out()).isEqualTo("archived life-one: active -> archived\n");
    Run illegal = cli("resume", "life-one");
    assertThat(illegal.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(illegal.err()).startsWith("the server refused (");
    assertThat(cli("restore", "life-one").out()).isEqualTo("restored life-one: archived -> active\n");
    Run deleted = cli("delete", "life-one");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).startsWith("deleted life-one (was active)");
    assertThat(get(TENANTS + "life-one").getString("status")).isEqualTo("deleted");
    assertThat(cli("delete", "life-one").out()).isEqualTo("no change: life-one is deleted\n");
    assertThat(cli("restore", "life-one").out()).isEqualTo("restored life-one: deleted -> active\n");
    Run unknown = cli("suspend", "life-nobody");
    assertThat(unknown.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(unknown.err()).isEqualTo("the server refused (404): unknown tenant\n");
  }

  @Test
  void listAndShowPrintTenants() {
    ts.createTenant(superAdmin, "show-me");
    assertThat(ts.api.put(TENANTS + "show-me/config/locale", superAdmin, new JsonObject().put("value", "en"), null)
      .statusCode()).isEqualTo(200);

    Run list = cli("list");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).startsWith("SLUG").containsPattern("show-me +active +shared +- +Tenant show-me");
    Run json = cli("list", "--json");
    assertThat(json.out().lines().map(JsonObject::new).map(t -> t.getString("slug"))).contains("show-me", "cli-home");
    Run show = cli("show", "show-me");
    assertThat(show.exit()).isZero();
    assertThat(show.out()).contains("slug: show-me\n", "status: active\n", "config:\n  locale: \"en\"\n");
    assertThat(new JsonObject(cli("show", "show-me", "--json").out()).getJsonObject("config"))
      .isEqualTo(new JsonObject().put("locale", "en"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"apply", "list", "show", "suspend", "resume", "archive", "delete", "restore"})
  void everyCommandHasHelp(String command) {
    Run help = cli(Map.of(), command, "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).startsWith("usage: java -jar tenantry.jar tenants " + command).contains("Exit codes:");
  }

  @Test
  void theCommandLineIsChecked() {
    assertThat(cli(Map.of(), "--help").out()).startsWith("usage: java -jar tenantry.jar tenants <command>");
    assertThat(cli("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("apply").err()).isEqualTo("tenants apply needs -f FILE\n");
    assertThat(cli("show").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("list", "--dry-run").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli("apply", "-f", "/nonexistent/tenants.yaml").err()).isEqualTo("no such file: /nonexistent/tenants.yaml\n");
    Run noCredentials = cli(Map.of("TENANTRY_SERVER", "http://127.0.0.1:" + ts.config.httpPort()), "list");
    assertThat(noCredentials.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(noCredentials.err()).startsWith("credentials are needed");
  }

  @Test
  void wrongCredentialsAreRefusedClearly() {
    Map<String, String> env = asSuperAdmin();
    env.put("TENANTRY_TOKEN", "not-a-token");
    Run badToken = cli(env, "list");
    assertThat(badToken.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(badToken.err()).startsWith("the server refused the credentials (401): ");

    env.remove("TENANTRY_TOKEN");
    env.put("TENANTRY_PASSWORD", "wrong-password-here");
    Run badPassword = cli(env, "list", "--email", TestServer.ADMIN_EMAIL);
    assertThat(badPassword.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(badPassword.err()).startsWith("sign-in refused by http://127.0.0.1:");

    env.put("TENANTRY_PASSWORD", TestServer.ADMIN_PASSWORD);
    assertThat(cli(env, "list", "--email", TestServer.ADMIN_EMAIL).exit()).isZero();

    Run tenantWithToken = cli(asSuperAdmin(), "list", "--tenant", "cli-home");
    assertThat(tenantWithToken.exit()).isEqualTo(ExitCodes.USAGE);

    Run unreachable = cli(Map.of("TENANTRY_TOKEN", "x"), "list", "--server", "http://127.0.0.1:" + TestServer.freePort());
    assertThat(unreachable.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(unreachable.err()).startsWith("cannot reach http://127.0.0.1:");
  }
}
