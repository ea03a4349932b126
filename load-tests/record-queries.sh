#!/usr/bin/env bash
# Filtered and sorted record-list latency on one collection of RECORDS records, without and with a declared index.
# Starts its own server (java -jar target/tenantry.jar serve --profile dev, own database, port and Redis prefix),
# creates a tenant of ISOLATION tier, seeds RECORDS records of ~250 bytes straight into its records table (psql as
# the PostgreSQL superuser: seeding is not what is measured), ANALYZEs, then runs each query N times one after
# another (after WARMUP runs) and prints one line per query:
#   record-queries: <name> index=<no|yes> n=N median_ms=M p95_ms=P per_s=R
# then declares indexes on data.total, data.placed_at, data.customer.id and created_at, waits for them, and runs the
# queries again.
#
#   load-tests/record-queries.sh [RECORDS=100000] [N=200]
# Environment: ISOLATION (shared), PORT (18091), PGHOST (127.0.0.1), PGUSER (postgres), WARMUP (20).
# The server runs with records.max-rows-scanned above RECORDS, so unindexed queries run (and are timed) rather than
# being refused. Needs curl, jq, psql and python3; builds target/tenantry.jar when missing.
set -euo pipefail
RECORDS=${1:-${RECORDS:-100000}}
N=${2:-${N:-200}}
ISOLATION=${ISOLATION:-shared}
PORT=${PORT:-18091}
WARMUP=${WARMUP:-20}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
DB=rqbench_$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
BASE=http://127.0.0.1:$PORT
cd "$(dirname "$0")/.."
[ -f target/tenantry.jar ] || mvn -B -q -DskipTests package
DATA=$(mktemp -d)

TENANTRY_DB_NAME=$DB TENANTRY_HTTP_PORT=$PORT TENANTRY_REDIS_KEY_PREFIX="$DB:" TENANTRY_DATA_DIR=$DATA \
TENANTRY_RECORDS_MAX_ROWS_SCANNED=$((RECORDS * 10)) TENANTRY_DB_ADMIN_URL="postgresql://$PGUSER@$PGHOST:5432/postgres" \
  java -jar target/tenantry.jar serve --profile dev > "$DATA/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  psql -h "$PGHOST" -U "$PGUSER" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres >/dev/null 2>&1 || true
  psql -h "$PGHOST" -U "$PGUSER" -qc "DROP DATABASE IF EXISTS ${DB}_t_$(echo "${TENANT:-}" | tr -d -) WITH (FORCE)" postgres >/dev/null 2>&1 || true
  for r in ${DB}_app ${DB}_owner; do psql -h "$PGHOST" -U "$PGUSER" -qc "DROP ROLE IF EXISTS $r" postgres >/dev/null 2>&1 || true; done
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 180); do curl -sf "$BASE/health/ready" >/dev/null 2>&1 && break; sleep 1; done

TOKEN=$(curl -sf "$BASE/auth/token" -H 'Content-Type: application/json' \
  -d '{"email": "admin@tenantry.local", "password": "tenantry-dev-password"}' | jq -r .access_token)
TENANT=$(curl -sf "$BASE/admin/v1/tenants" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"slug\": \"rqbench\", \"name\": \"rqbench\", \"isolation\": \"$ISOLATION\"}" | jq -r .id)
# lifted limits: a fast indexed query run back to back is not what the rate limiter is for (a 429 ends the run)
curl -sf -o /dev/null -X PUT "$BASE/admin/v1/tenants/rqbench/limits" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"rate": 1000000, "burst": 1000000}'
case $ISOLATION in
  shared) SCHEMA=shared; TDB=$DB ;;
  schema) SCHEMA=t_$(echo "$TENANT" | tr -d -); TDB=$DB ;;
  database) SCHEMA=tenant; TDB=${DB}_t_$(echo "$TENANT" | tr -d -) ;;
esac
started=$(date +%s)
psql -h "$PGHOST" -U "$PGUSER" -q "$TDB" <<SQL
INSERT INTO "$SCHEMA".records (tenant_id, collection, id, data, created_at)
SELECT '$TENANT', 'orders', gen_random_uuid(),
  jsonb_build_object('status', (ARRAY['open','closed','shipped','void'])[1 + g % 4], 'total', (g * 7919) % 100000,
    'customer', jsonb_build_object('id', 'c' || (g % 1000), 'name', 'Customer ' || (g % 1000)),
    'placed_at', to_char(timestamptz '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'note', repeat('x', 80)),
  timestamptz '2026-01-01' + g * interval '1 second'
FROM generate_series(1, $RECORDS) g;
ANALYZE "$SCHEMA".records;
SQL
echo "seeded $RECORDS records in $(( $(date +%s) - started )) s (tier $ISOLATION)"

measure() { # index name query-string
  python3 - "$BASE/api/v1/collections/orders/records?$3" "$TOKEN" "$N" "$WARMUP" "$2" "$1" <<'PY'
import sys, time, urllib.request
url, token, n, warmup, name, index = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token, "X-Tenant-ID": "rqbench"})
def once():
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        r.read()
        if r.status != 200:
            raise SystemExit(f"{name}: HTTP {r.status}")
    return (time.perf_counter() - t) * 1000
for _ in range(warmup):
    once()
ms = sorted(once() for _ in range(n))
total = sum(ms) / 1000
print(f"record-queries: {name} index={index} n={n} median_ms={ms[n // 2]:.1f} p95_ms={ms[int(n * 0.95) - 1]:.1f} per_s={n / total:.0f}")
PY
}
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="=&"))' "$1"; }

run_all() {
  measure "$1" creation-order "limit=50"
  measure "$1" filter-eq "$(enc 'filter[status]=open&limit=50')"
  measure "$1" filter-range "$(enc 'filter[total][gte]=99000&limit=50')"
  measure "$1" sort-total-desc "$(enc 'sort=-total&limit=50')"
  measure "$1" filter-eq-sort-total "$(enc 'filter[status]=open&sort=-total&limit=50')"
  measure "$1" created-range "$(enc 'filter[created_at][gte]=2026-01-02T03:00:00Z&sort=created_at&limit=50')"
  measure "$1" placed-range "$(enc 'filter[placed_at][gte]=2026-02-01T00:00:00Z&filter[placed_at][lt]=2026-02-01T00:30:00Z&limit=50')"
  measure "$1" customer-in "$(enc 'filter[customer.id][in]=c1,c2&limit=50')"
  measure "$1" customer-prefix "$(enc 'filter[customer.id][prefix]=c99&limit=50')"
}

run_all no
INDEXES="total:total created:created_at placed:placed_at customer:customer.id"
for idx in $INDEXES; do
  curl -sf -o /dev/null -X PUT "$BASE/admin/v1/tenants/rqbench/collections/orders/indexes/${idx%%:*}" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "{\"field\": \"${idx##*:}\"}"
done
started=$(date +%s)
for _ in $(seq 1 600); do
  ready=$(curl -sf "$BASE/admin/v1/tenants/rqbench/collections/orders/indexes" -H "Authorization: Bearer $TOKEN" \
    | jq '[.items[] | select(.status == "ready")] | length')
  [ "$ready" = "$(echo $INDEXES | wc -w)" ] && break
  sleep 1
done
echo "indexes ready after $(( $(date +%s) - started )) s"
run_all yes
