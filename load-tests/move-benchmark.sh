#!/usr/bin/env bash
# The write pause of an online move (docs/operations/tenant-moves.md) for one tenant of RECORDS records, against a
# server that is already running (e.g. java -jar target/tenantry.jar serve --profile dev). Creates a shared-tier
# tenant with a tenant_admin, seeds RECORDS records straight through SQL (as the superuser: faster than the API),
# keeps WRITERS curl loops creating records through the API during the move, moves the tenant to TO (schema by
# default), waits for the switch and checks every record the writers were answered 201 for is there once. Prints,
# last as one line:
#   move-benchmark: records=N to=TIER write_pause_ms=P rows_copied=C rows_caught_up=U move_seconds=S acknowledged=A missing=M
#
#   load-tests/move-benchmark.sh [RECORDS=100000] [TO=schema]
# Environment: BASE (http://127.0.0.1:8080), ADMIN_EMAIL / ADMIN_PASSWORD (dev profile's), DB (the platform database,
#   tenantry), PSQL (psql -h 127.0.0.1 -U postgres), WRITERS (4), SLUG (move-bench-<random>).
set -euo pipefail
RECORDS=${1:-${RECORDS:-100000}}
TO=${2:-${TO:-schema}}
BASE=${BASE:-http://127.0.0.1:8080}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@tenantry.local}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-tenantry-dev-password}
DB=${DB:-tenantry}
PSQL=${PSQL:-psql -h 127.0.0.1 -U postgres}
WRITERS=${WRITERS:-4}
SLUG=${SLUG:-move-bench-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

token() {
  curl -sf "$BASE/auth/token" -H 'Content-Type: application/json' -d "$(jq -nc --arg e "$1" --arg p "$2" --arg t "${3:-}" \
    'if $t == "" then {email: $e, password: $p} else {email: $e, password: $p, tenant: $t} end')" | jq -r .access_token
}
ROOT=$(token "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
ID=$(curl -sf "$BASE/admin/v1/tenants" -H "Authorization: Bearer $ROOT" -H 'Content-Type: application/json' \
  -d "$(jq -nc --arg s "$SLUG" '{slug: $s, name: $s, isolation: "shared"}')" | jq -r .id)
curl -sf "$BASE/admin/v1/tenants/$SLUG/users" -H "Authorization: Bearer $ROOT" -H 'Content-Type: application/json' \
  -d "$(jq -nc --arg e "bench@$SLUG.test" '{email: $e, password: "bench-password-123", role: "tenant_admin"}')" > /dev/null
TOKEN=$(token "bench@$SLUG.test" bench-password-123 "$SLUG")
$PSQL -d "$DB" -q -c "INSERT INTO shared.records (tenant_id, collection, id, data)
  SELECT '$ID', 'items', gen_random_uuid(), jsonb_build_object('n', n, 'title', 'item ' || n, 'text', repeat('x', 100))
  FROM generate_series(1, $RECORDS) n"
echo "seeded $RECORDS records"

for w in $(seq 1 "$WRITERS"); do
  ( i=0; while [ -d "$work" ] && [ ! -f "$work/stop" ]; do i=$((i + 1))
      curl -s -o "$work/r.$w" -w '%{http_code}\n' "$BASE/api/v1/collections/written/records" -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' -d "{\"w\": $w, \"i\": $i}" > "$work/code.$w" || true
      if [ "$(cat "$work/code.$w")" = 201 ]; then jq -r .id "$work/r.$w" >> "$work/acked.$w"; fi
    done ) &
done
sleep 1
started=$(date +%s.%N)
JOB=$(curl -sf "$BASE/admin/v1/tenants/$SLUG/relocations" -H "Authorization: Bearer $ROOT" -H 'Content-Type: application/json' \
  -d "$(jq -nc --arg t "$TO" '{isolation: $t}')" | jq -r .id)
while :; do
  state=$(curl -sf "$BASE/admin/v1/tenants/$SLUG/relocations/$JOB" -H "Authorization: Bearer $ROOT")
  phase=$(echo "$state" | jq -r .phase)
  case "$phase" in switched|done|failed|cancelled) break ;; esac
  sleep 0.2
done
seconds=$(echo "$(date +%s.%N) - $started" | bc)
sleep 1
touch "$work/stop"; wait
echo "$state" | jq .
cat "$work"/acked.* 2>/dev/null | sort > "$work/acked"
cursor=""; : > "$work/present"
while :; do
  page=$(curl -sf "$BASE/api/v1/collections/written/records?limit=500${cursor:+&cursor=$cursor}" -H "Authorization: Bearer $TOKEN")
  echo "$page" | jq -r '.items[].id' >> "$work/present"
  cursor=$(echo "$page" | jq -r '.next_cursor // empty')
  [ -z "$cursor" ] && break
done
present=$(sort "$work/present")
missing=$(comm -23 "$work/acked" <(echo "$present") | wc -l)
printf 'move-benchmark: records=%d to=%s write_pause_ms=%s rows_copied=%s rows_caught_up=%s move_seconds=%.2f acknowledged=%d missing=%d\n' \
  "$RECORDS" "$TO" "$(echo "$state" | jq -r .write_pause_ms)" "$(echo "$state" | jq -r .rows_copied)" \
  "$(echo "$state" | jq -r .rows_caught_up)" "$seconds" "$(wc -l < "$work/acked")" "$missing"
