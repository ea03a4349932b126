package io.tenantry.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** auth.external-issuers and auth.impersonation-ttl-seconds: from a YAML file, an environment variable, a flag. */
class ExternalIssuersConfigTest {
  private static final String ENTRY = "{\"issuer\": \"https://sso.test\", \"jwks-url\": \"https://sso.test/jwks\", "
    + "\"role-mapping\": {\"admins\": \"tenant_admin\"}, \"tenants\": [\"acme\"]";

  private static Config withIssuers(String json) {
    return ConfigLoader.load(null, Map.of(), Map.of("auth.external-issuers", json));
  }

  @Test
  void noneByDefault() {
    Config config = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(config.externalIssuers()).isEmpty();
    assertThat(config.impersonationTtlSeconds()).isEqualTo(900);
  }

  @Test
  void aListFromAYamlFileWithItsDefaults() throws Exception {
    Path file = Files.createTempFile("tenantry", ".yaml");
    Files.writeString(file, """
      auth:
        external-issuers:
          - issuer: https://sso.acme.test
            jwks-file: /etc/tenantry/acme-jwks.json
            role-mapping: { sso-admins: tenant_admin, staff: member }
            tenants: [acme]
      """);
    ExternalIssuer issuer = ConfigLoader.load(file, Map.of(), Map.of()).externalIssuers().get(0);
    assertThat(issuer.issuer()).isEqualTo("https://sso.acme.test");
    assertThat(issuer.jwksFile()).isEqualTo("/etc/tenantry/acme-jwks.json");
    assertThat(issuer.jwksUrl()).isEmpty();
    assertThat(issuer.audience()).isNull();
    assertThat(issuer.tenantClaim()).isEqualTo("tenant");
    assertThat(issuer.rolesClaim()).isEqualTo("roles");
    assertThat(issuer.roleMapping()).isEqualTo(Map.of("sso-admins", "tenant_admin", "staff", "member"));
    assertThat(issuer.tenants()).isEqualTo(List.of("acme"));
    assertThat(issuer.refreshSeconds()).isEqualTo(300);
    assertThat(issuer.minRefetchSeconds()).isEqualTo(30);
  }

  @Test
  void theSameListAsTextInTheEnvironment() {
    Config config = ConfigLoader.load(null, Map.of("TENANTRY_AUTH_EXTERNAL_ISSUERS", "[" + ENTRY + ", \"audience\": \"t\"}]"),
      Map.of());
    assertThat(config.externalIssuers()).singleElement().satisfies(i -> assertThat(i.audience()).isEqualTo("t"));
  }

  /** The one line the operator is shown. */
  private static String error(Runnable load) {
    try {
      load.run();
    } catch (ConfigException e) {
      return e.oneLine();
    }
    throw new AssertionError("no configuration error");
  }

  private static String issuersError(String json) {
    return error(() -> withIssuers(json));
  }

  @Test
  void mistakesNameTheirKey() {
    assertThat(issuersError("{}")).contains("auth.external-issuers", "a list of issuers");
    assertThat(issuersError("[" + ENTRY + ", \"jwks-file\": \"/x\"}]"))
      .contains("auth.external-issuers[0]", "exactly one of jwks-file and jwks-url");
    assertThat(issuersError("[" + ENTRY.replace("tenant_admin", "super_admin") + "}]"))
      .contains("auth.external-issuers[0].role-mapping.admins", "never grants super_admin");
    assertThat(issuersError("[" + ENTRY.replace("[\"acme\"]", "[]") + "}]")).contains("auth.external-issuers[0].tenants");
    assertThat(issuersError("[" + ENTRY.replace("https://sso.test\"", "tenantry\"") + "}]"))
      .contains("auth.external-issuers[0].issuer", "must differ from auth.issuer");
    assertThat(issuersError("[" + ENTRY + "}, " + ENTRY + "}]")).contains("auth.external-issuers[1].issuer", "listed twice");
    assertThat(issuersError("[" + ENTRY + ", \"jwks\": 1}]")).contains("auth.external-issuers[0].jwks", "unknown key");
    assertThat(issuersError("[" + ENTRY.replace("https://sso.test/jwks", "ftp://x/jwks") + "}]"))
      .contains("auth.external-issuers[0].jwks-url");
    assertThat(error(() -> ConfigLoader.load(null, Map.of(), Map.of("auth.impersonation-ttl-seconds", "5"))))
      .contains("auth.impersonation-ttl-seconds");
  }
}
