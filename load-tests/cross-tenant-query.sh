#!/usr/bin/env bash
# Cross-tenant query over a large fleet, against a server that is already running (e.g.
# java -jar target/tenantry.jar serve --profile dev). Creates a parent tenant and, under it, TENANTS shared-tier and
# SCHEMA_TENANTS schema-tier tenants with RECORDS records each (through the public API), then runs
# POST /admin/v1/queries over that subtree RUNS times and prints, per run and last as one line:
#   cross-tenant-query: tenants=N lines=L first_line_ms=F total_ms=T lines_per_s=R
# (first_line_ms: from sending the request to the first NDJSON line; total_ms: to the end of the stream.)
#
#   load-tests/cross-tenant-query.sh [TENANTS=1000] [RECORDS=5]
# Environment: BASE (http://127.0.0.1:8080), ADMIN_EMAIL / ADMIN_PASSWORD (the dev profile's
#   admin@tenantry.local / tenantry-dev-password), SCHEMA_TENANTS (5), RUNS (3), LIMIT (records per tenant, 100),
#   PARALLEL (seeding requests at once, 4), FILTER (the query's filter, {}), PREFIX (slug prefix, xqload-<random>),
#   CLEANUP=1 deletes (soft) the tenants afterwards.
# Needs curl, jq and python3. The server's own settings apply: queries.concurrency, queries.tenant-timeout-ms.
set -euo pipefail
TENANTS=${1:-${TENANTS:-1000}}
RECORDS=${2:-${RECORDS:-5}}
BASE=${BASE:-http://127.0.0.1:8080}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@tenantry.local}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-tenantry-dev-password}
SCHEMA_TENANTS=${SCHEMA_TENANTS:-5}
RUNS=${RUNS:-3}
LIMIT=${LIMIT:-100}
PARALLEL=${PARALLEL:-4}
FILTER=${FILTER:-'{}'}
PREFIX=${PREFIX:-xqload-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')}
CLEANUP=${CLEANUP:-0}

TOKEN=$(curl -sf "$BASE/auth/token" -H 'Content-Type: application/json' \
  -d "$(jq -nc --arg e "$ADMIN_EMAIL" --arg p "$ADMIN_PASSWORD" '{email: $e, password: $p}')" | jq -r .access_token)
export BASE TOKEN PREFIX RECORDS

create() { # slug tier parent
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/admin/v1/tenants" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg s "$1" --arg t "$2" --arg p "$3" '{slug: $s, name: $s, isolation: $t} + (if $p == "" then {} else {parent: $p} end)')")
  [ "$code" = 201 ] || { echo "creating $1: HTTP $code" >&2; return 1; }
}
seed() { # slug tier
  create "$1" "$2" "$PREFIX"
  for i in $(seq 1 "$RECORDS"); do
    curl -sf -o /dev/null "$BASE/t/$1/api/v1/collections/loadq/records" -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' -d "{\"tenant\": \"$1\", \"n\": $i, \"kind\": \"k$((i % 3))\"}"
  done
}
export -f create seed

started=$(date +%s)
create "$PREFIX" shared ""
{
  for i in $(seq -w 1 "$TENANTS"); do echo "$PREFIX-s$i shared"; done
  for i in $(seq -w 1 "$SCHEMA_TENANTS"); do echo "$PREFIX-c$i schema"; done
} | xargs -P "$PARALLEL" -L 1 bash -c 'seed "$0" "$1"'
echo "seeded $((TENANTS + SCHEMA_TENANTS + 1)) tenants with $RECORDS records each in $(( $(date +%s) - started )) s"

BODY=$(jq -nc --arg p "$PREFIX" --argjson f "$FILTER" --argjson l "$LIMIT" \
  '{collection: "loadq", subtree: $p, filter: $f, limit: $l}')
python3 - "$BASE/admin/v1/queries" "$TOKEN" "$BODY" "$RUNS" <<'PY'
import json, sys, time, urllib.request
url, token, body, runs = sys.argv[1], sys.argv[2], sys.argv[3].encode(), int(sys.argv[4])
last = None
for run in range(1, runs + 1):
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    start = time.perf_counter()
    first = None
    lines = errors = 0
    summary = None
    with urllib.request.urlopen(request, timeout=600) as response:
        for raw in response:
            if first is None:
                first = time.perf_counter()
            lines += 1
            line = json.loads(raw)
            if "error" in line and "tenant" in line:
                errors += 1
            if "summary" in line:
                summary = line["summary"]
    total = time.perf_counter() - start
    last = (summary["tenants"], lines, (first - start) * 1000, total * 1000, lines / total)
    print(f"run {run}: tenants={last[0]} lines={lines} error_lines={errors} first_line_ms={last[2]:.1f} "
          f"total_ms={last[3]:.1f} lines_per_s={last[4]:.0f} server_elapsed_ms={summary['elapsed_ms']}")
print("cross-tenant-query: tenants=%d lines=%d first_line_ms=%.1f total_ms=%.1f lines_per_s=%.0f" % last)
PY

if [ "$CLEANUP" = 1 ]; then
  {
    for i in $(seq -w 1 "$TENANTS"); do echo "$PREFIX-s$i"; done
    for i in $(seq -w 1 "$SCHEMA_TENANTS"); do echo "$PREFIX-c$i"; done
  } | xargs -P "$PARALLEL" -I{} curl -s -o /dev/null -X DELETE "$BASE/admin/v1/tenants/{}" -H "Authorization: Bearer $TOKEN"
  curl -s -o /dev/null -X DELETE "$BASE/admin/v1/tenants/$PREFIX" -H "Authorization: Bearer $TOKEN"
  echo "deleted (soft) the tenants under $PREFIX"
fi
