#!/usr/bin/env bash
# Do sign-ins stall the data plane? Starts the server (java -jar target/tenantry.jar serve, database tenantry_flood,
# the shipped PBKDF2 cost), seeds a tenant, a member, its token and a record through the public API, then measures
# the p99 of GET one record with that token (wrk) twice: alone, and while a flood of wrong-password sign-ins
# (wrk, FLOOD_CONNECTIONS connections, every request a different email) runs at the same time. Prints both p99s,
# the flood's own counts (401 = refused or throttled, 503 = hashing pool full) and, last, exactly one line:
#   login-flood: p99 no-flood X ms, flood Y ms, ratio R (target <= 2)
#
#   load-tests/login-flood.sh [SECONDS=20]
# Environment: CONNECTIONS (data-plane connections, 8), FLOOD_CONNECTIONS (40), FLOOD_THREADS (wrk threads of the
#   flood, 2), WARMUP (seconds, 15), JAVA_OPTS (-Xms512m -Xmx512m), FLAGS (extra --key=value server flags, e.g.
#   FLAGS=--login.address-failures=100000 to let every guess reach the hashing pool: one address stands for many),
#   PG_ADMIN, REDIS_URL, PORT (18090), JAR, KEEP=1 keeps the database and the server log.
# Bounded: every wrk run has a fixed duration; the server is stopped and the database dropped on exit. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-${SECONDS_PER_RUN:-20}}
CONNECTIONS=${CONNECTIONS:-8}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-40}
FLOOD_THREADS=${FLOOD_THREADS:-2}
WARMUP=${WARMUP:-15}
JAVA_OPTS=${JAVA_OPTS:--Xms512m -Xmx512m}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
PORT=${PORT:-18090}
JAR=${JAR:-target/tenantry.jar}
DB=tenantry_flood
B=http://127.0.0.1:$PORT
ADMIN_EMAIL=flood-admin@tenantry.local
ADMIN_PASSWORD=flood-admin-password
MEMBER_EMAIL=member@flood.test
MEMBER_PASSWORD=flood-member-password
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
WORK=$(mktemp -d /tmp/tenantry-flood.XXXXXX)
PID=

log() { echo "== $*" >&2; }

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing wrk (Debian package)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } || true
  fi
  command -v wrk >/dev/null || { log "wrk is required (apt-get install -y wrk)"; exit 2; }
fi
for tool in curl openssl psql java; do
  command -v $tool >/dev/null || { log "$tool is required"; exit 2; }
done
if [ ! -f "$JAR" ] || [ -n "$(find src/main conf pom.xml -newer "$JAR" -print -quit)" ]; then
  log "building $JAR"; mvn -q -B -Dstyle.color=never -DskipTests package >&2
fi

drop_db() {
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS ${DB}_owner" -c "DROP ROLE IF EXISTS ${DB}_app" >/dev/null
  if command -v redis-cli >/dev/null; then
    redis-cli -u "$REDIS_URL" --scan --pattern 'tenantry-flood:*' 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  fi
}
cleanup() {
  [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  if [ "${KEEP:-0}" = 1 ]; then log "kept database $DB and $WORK"; else drop_db; rm -rf "$WORK"; fi
}
drop_db
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
extra=()
[ -n "${FLAGS:-}" ] && read -r -a extra <<<"$FLAGS"
log "starting the server (:$PORT, database $DB) ${FLAGS:-}"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" serve --http.host=127.0.0.1 --http.port="$PORT" --http.access-log=false \
  --db.name=$DB --db.admin-url="$PG_ADMIN" --redis.url="$REDIS_URL" --redis.key-prefix=tenantry-flood: \
  --auth.jwt-private-key-file="$WORK/jwt-private.pem" --auth.jwt-public-key-file="$WORK/jwt-public.pem" \
  --auth.token-ttl-seconds=86400 --admin.email=$ADMIN_EMAIL --admin.password=$ADMIN_PASSWORD \
  --tenancy.max-concurrent-per-tenant=64 --data-dir="$WORK/data" "${extra[@]}" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  curl -sf "$B/health/live" >/dev/null && break
  kill -0 "$PID" 2>/dev/null || { log "the server did not start:"; tail -20 "$WORK/server.log" >&2; exit 1; }
  sleep 1
done

token() { sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
json() { curl -sf -H 'Content-Type: application/json' "$@"; }
log "seeding a tenant, a member, its token and a record"
ADMIN=$(json -X POST "$B/auth/token" -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | token)
json -X PUT "$B/admin/v1/plans/default" -H "Authorization: Bearer $ADMIN" -d '{"rate": 100000, "burst": 200000}' >/dev/null
json -X POST "$B/admin/v1/tenants" -H "Authorization: Bearer $ADMIN" -d '{"slug":"flood","name":"Flood"}' >/dev/null
json -X POST "$B/admin/v1/tenants/flood/users" -H "Authorization: Bearer $ADMIN" \
  -d "{\"email\":\"$MEMBER_EMAIL\",\"password\":\"$MEMBER_PASSWORD\",\"role\":\"member\"}" >/dev/null
MEMBER=$(json -X POST "$B/auth/token" -d "{\"email\":\"$MEMBER_EMAIL\",\"password\":\"$MEMBER_PASSWORD\",\"tenant\":\"flood\"}" | token)
ID=$(json -X POST "$B/api/v1/collections/notes/records" -H "Authorization: Bearer $MEMBER" \
  -d '{"title":"hello","tags":["a"]}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
RECORD=$B/api/v1/collections/notes/records/$ID
curl -sf "$RECORD" -H "Authorization: Bearer $MEMBER" >/dev/null

data_plane() { # seconds -> "p99_ms non2xx rps timeouts"; p99 2000 (wrk's timeout, a lower bound) when over 1% timed out
  wrk -t1 -c"$CONNECTIONS" -d"$1"s --latency -H "Authorization: Bearer $MEMBER" "$RECORD" | awk '
    function ms(v) { if (v ~ /us$/) return v * 0.001; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; return v * 1000 }
    $1 == "99%" {p99 = ms($2)}
    / requests in / {n = $1}
    /Non-2xx/ {bad = $NF}
    /Requests\/sec/ {rps = $2}
    /Socket errors/ {for (i = 1; i <= NF; i++) if ($i == "timeout") to = $(i + 1) + 0}
    END {if (to > 0.01 * (n + to)) p99 = 2000; printf "%.3f %d %.1f %d\n", p99, bad, rps, to}'
}

log "warm-up: ${WARMUP}s of the data plane"
data_plane "$WARMUP" >/dev/null
log "data plane alone: ${SECONDS_PER_RUN}s"
read -r quiet_p99 quiet_bad quiet_rps quiet_to <<<"$(data_plane "$SECONDS_PER_RUN")"
log "data plane with $FLOOD_CONNECTIONS connections of wrong-password sign-ins: ${SECONDS_PER_RUN}s (the flood starts 3 s earlier)"
wrk -t"$FLOOD_THREADS" -c"$FLOOD_CONNECTIONS" -d"$((SECONDS_PER_RUN + 5))"s -s load-tests/wrk/login-flood.lua "$B" \
  >"$WORK/flood.out" 2>&1 &
FLOOD=$!
sleep 3
read -r flood_p99 flood_bad flood_rps flood_to <<<"$(data_plane "$SECONDS_PER_RUN")"
wait $FLOOD || true
flood_line=$(grep '^FLOOD' "$WORK/flood.out" || echo "FLOOD (no result: $(tail -1 "$WORK/flood.out"))")
after=$(json -X POST "$B/auth/token" -d "{\"email\":\"$MEMBER_EMAIL\",\"password\":\"$MEMBER_PASSWORD\",\"tenant\":\"flood\"}" \
  -o /dev/null -w '%{http_code}' || true)

# wrk leaves requests that time out (2 s) out of its percentiles: they are counted apart.
printf "data plane alone       %9.1f req/s  p99 %8.2f ms  non-2xx %s  timeouts %s\n" "$quiet_rps" "$quiet_p99" "$quiet_bad" "$quiet_to"
printf "data plane with flood  %9.1f req/s  p99 %8.2f ms  non-2xx %s  timeouts %s\n" "$flood_rps" "$flood_p99" "$flood_bad" "$flood_to"
echo "flood: $flood_line"
echo "a real sign-in from the flooding address right after the flood: HTTP $after (401 while that address is throttled)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v q="$quiet_p99" -v f="$flood_p99" \
  'BEGIN {printf "login-flood: p99 no-flood %.2f ms, flood %.2f ms, ratio %.2f (target <= 2)\n", q, f, f / q}'
