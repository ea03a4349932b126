#!/usr/bin/env bash
# Export throughput and heap for one large tenant, against a server that is already running (e.g.
# java -Xmx512m -jar target/tenantry.jar serve --profile dev). Creates a shared-tier tenant, seeds RECORDS records
# in it straight through SQL (INSERT ... SELECT generate_series, as the superuser: seeding a million through the API
# would take longer than the export), then runs `tenants export` and prints, last as one line:
#   export-benchmark: records=N bytes=B seconds=S records_per_s=R mib_per_s=M heap_max_used_mib=H
# heap_max_used_mib is the largest used heap of SERVER_PID sampled every 0.5 s during the export (jcmd GC.heap_info);
# a flat heap is one that does not grow with RECORDS (run it with 100000 and 1000000 and compare).
#
#   load-tests/export-benchmark.sh [RECORDS=1000000]
# Environment: BASE (http://127.0.0.1:8080), ADMIN_EMAIL / ADMIN_PASSWORD (dev profile's), DB (the platform database,
#   tenantry), PSQL (psql -h 127.0.0.1 -U postgres), SERVER_PID (the server's pid, for the heap), JAR
#   (target/tenantry.jar), SLUG (export-bench-<random>), OUT (/tmp/<slug>.tar).
set -euo pipefail
RECORDS=${1:-${RECORDS:-1000000}}
BASE=${BASE:-http://127.0.0.1:8080}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@tenantry.local}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-tenantry-dev-password}
DB=${DB:-tenantry}
PSQL=${PSQL:-psql -h 127.0.0.1 -U postgres}
JAR=${JAR:-target/tenantry.jar}
SLUG=${SLUG:-export-bench-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')}
OUT=${OUT:-/tmp/$SLUG.tar}

TOKEN=$(curl -sf "$BASE/auth/token" -H 'Content-Type: application/json' \
  -d "$(jq -nc --arg e "$ADMIN_EMAIL" --arg p "$ADMIN_PASSWORD" '{email: $e, password: $p}')" | jq -r .access_token)
ID=$(curl -sf "$BASE/admin/v1/tenants" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "$(jq -nc --arg s "$SLUG" '{slug: $s, name: $s, isolation: "shared"}')" | jq -r .id)
started=$(date +%s.%N)
$PSQL -d "$DB" -q -c "INSERT INTO shared.records (tenant_id, collection, id, data)
  SELECT '$ID', 'items', gen_random_uuid(), jsonb_build_object('n', n, 'title', 'item ' || n, 'tags', jsonb_build_array('a', 'b'),
    'text', repeat('x', 100)) FROM generate_series(1, $RECORDS) n"
echo "seeded $RECORDS records in $(echo "$(date +%s.%N) - $started" | bc) s"

heap_log=$(mktemp)
if [ -n "${SERVER_PID:-}" ]; then
  ( while kill -0 "$SERVER_PID" 2>/dev/null; do
      jcmd "$SERVER_PID" GC.heap_info 2>/dev/null | awk '/garbage-first heap|total.*used/ {for (i=1;i<=NF;i++) if ($i=="used") print $(i+1)}' >> "$heap_log"
      sleep 0.5
    done ) & sampler=$!
fi
started=$(date +%s.%N)
java -jar "$JAR" tenants export "$SLUG" -o "$OUT" --server "$BASE" --token "$TOKEN"
seconds=$(echo "$(date +%s.%N) - $started" | bc)
[ -n "${SERVER_PID:-}" ] && kill "$sampler" 2>/dev/null || true
bytes=$(stat -c %s "$OUT")
heap=$(sed 's/K$//' "$heap_log" | sort -n | tail -1)
rm -f "$heap_log"
printf 'export-benchmark: records=%d bytes=%d seconds=%.2f records_per_s=%.0f mib_per_s=%.1f heap_max_used_mib=%s\n' \
  "$RECORDS" "$bytes" "$seconds" "$(echo "$RECORDS / $seconds" | bc -l)" "$(echo "$bytes / 1048576 / $seconds" | bc -l)" \
  "$([ -n "$heap" ] && echo $((heap / 1024)) || echo n/a)"
