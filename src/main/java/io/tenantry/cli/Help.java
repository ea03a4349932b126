package io.tenantry.cli;

import java.util.Map;

/** The tenants CLI's --help texts. */
final class Help {
  static final String CONNECTION = """
    Connection (every command):
      --server URL      the Tenantry server (default: $TENANTRY_SERVER, else http://127.0.0.1:8080)
      --token TOKEN     a bearer token (default: $TENANTRY_TOKEN)
      --email EMAIL     sign in with this account instead (default: $TENANTRY_EMAIL); the password comes from
                        $TENANTRY_PASSWORD, or is asked for at a terminal
      --tenant SLUG     sign in to this tenant (a tenant_admin administering the tenants below its own)
    Exit codes: 0 done or nothing to do, 1 the server refused or failed (bad credentials too), 2 bad command line
    or file (nothing changed), 3 apply --dry-run found changes to make.""";

  static final String TENANTS = """
    usage: java -jar tenantry.jar tenants <command> [options]
    Administers the tenants of a running Tenantry server through its admin API.
      apply -f FILE [--dry-run]   create or update the tenants a file declares (see tenants apply --help)
      list [--json]               every tenant (super-admin)
      show SLUG [--json]          one tenant and its own configuration values
      suspend SLUG                suspend a tenant: its data plane answers 403 until resumed
      resume SLUG                 resume a suspended tenant
      archive SLUG                make a tenant read-only
      delete SLUG                 delete a tenant (soft: restorable within the grace period, then purged)
      restore SLUG                bring back an archived tenant, or a deleted one within the grace period
      export SLUG -o FILE         write a tenant's bundle (all its data) to FILE (super-admin)
      import FILE [--as SLUG]     create a tenant from a bundle, all or nothing (super-admin)
    Run tenants <command> --help for a command's options.
    """ + CONNECTION;

  static final String APPLY = """
    usage: java -jar tenantry.jar tenants apply -f FILE [--dry-run] [--parallel N]
    Makes the server's tenants match FILE: creates the missing ones (parents first), renames and moves tenants,
    sets plans, sets and clears configuration values, and promotes or invites missing tenant_admins. It prints one
    line per change and a summary; a second run prints "no changes". The whole file is checked first (unknown keys,
    slugs, duplicates, cycles, parents, plans and setting keys that do not exist): any problem is reported with its
    line, exit 2, and nothing is changed.
      -f, --file FILE   the YAML file:
                          tenants:
                            - slug: acme                 # required; 3-63 of a-z 0-9 -
                              name: ACME Corp            # required
                              parent: holding            # absent: a top-level tenant
                              isolation: shared          # shared | schema | database (creation only)
                              plan: pro                  # an existing plan
                              config: {locale: de-DE}    # when given: the tenant's complete own values
                              admins: [ann@acme.test]    # promoted, or invited; nobody is removed
                              template: starter          # creation only, if the server has templates
      --dry-run         print what would change, change nothing (exit 0: nothing to change, 3: changes to make)
      --parallel N      requests in flight at once (default 8, 1-64)
    Not supported (reported, exit 1, never ignored): changing an existing tenant's isolation tier; renaming, on
    servers without PATCH /admin/v1/tenants/{slug}; a template, on servers without templates.
    """ + CONNECTION;

  static final String LIST = """
    usage: java -jar tenantry.jar tenants list [--json]
    Prints every tenant (slug, status, tier, parent, name), in creation order; a super-admin's command.
      --json            one JSON object per line instead
    """ + CONNECTION;

  static final String SHOW = """
    usage: java -jar tenantry.jar tenants show SLUG [--json]
    Prints a tenant and the configuration values set on it.
      --json            the tenant as JSON, with its values under "config"
    """ + CONNECTION;

  static final String EXPORT = """
    usage: java -jar tenantry.jar tenants export SLUG -o FILE [--with-password-hashes]
    Exports the tenant (records, collection schemas, configuration, members, API key metadata, audit log with its
    chain) as a bundle (docs/export-format.md): starts an export job, shows its progress, downloads the bundle to
    FILE and checks its SHA-256. The tenant keeps serving meanwhile. A super-admin's command.
      -o, --output FILE         where the bundle goes (replaced if it exists)
      --with-password-hashes    include members' password hashes (they can sign in after an import)
    """ + CONNECTION;

  static final String IMPORT = """
    usage: java -jar tenantry.jar tenants import FILE [--as SLUG] [--isolation shared|schema|database]
                                                      [--replace-archived]
    Creates a tenant from a bundle made by tenants export, on this or another installation. The server checks the
    whole bundle first (manifest, format version, every part's SHA-256) and writes all of it or nothing. The tenant
    keeps its id; a tenant with that id or slug must not exist here, unless it is archived and --replace-archived
    is given. A super-admin's command.
      --as SLUG                 the tenant's slug here (default: the bundle's)
      --isolation TIER          its isolation tier here (default: the bundle's)
      --replace-archived        an archived tenant holding the bundle's id or the slug is removed (data, files) once
                                the bundle is verified, then the bundle is imported in its place
    """ + CONNECTION;

  static final Map<String, String> LIFECYCLE = Map.of(
    "suspend", "Suspends the tenant: its data plane answers 403 until it is resumed. Allowed from active.",
    "resume", "Resumes a suspended tenant.",
    "archive", "Archives the tenant: read-only (reads allowed, writes 403). Allowed from active and suspended.",
    "delete", "Deletes the tenant (soft): its data plane answers 404 at once; restore brings it back within the "
      + "grace period (tenancy.delete-grace-seconds), after which it is purged. Refused while it has children.",
    "restore", "Restores an archived tenant (to active) or a deleted one within its grace period (to the state it had).");

  static String lifecycle(String command) {
    return "usage: java -jar tenantry.jar tenants " + command + " SLUG\n" + LIFECYCLE.get(command) + "\n"
      + "A tenant already in the state asked for is left as it is (exit 0). An illegal move is refused (exit 1).\n"
      + CONNECTION;
  }

  private Help() {
  }
}
