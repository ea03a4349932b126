#!/usr/bin/env bash
# What an API key costs against a JWT: one multi-tenant server (java -jar target/tenantry.jar serve), TENANTS tenants
# seeded through its public API, each with a member's JWT and an API key (records:read, records:write). The same
# wrk workload (load-tests/wrk/records.lua, reads and lists by default) runs with the JWTs, then with the keys,
# alternately, ROUNDS rounds; prints every round, the means and, last, exactly one line:
#   apikey-cost: throughput X% p99 Y% tenants=N
# (X: how much lower the API-key throughput is than the JWT's; Y: how much higher its p99 latency.)
#
#   load-tests/apikey-cost.sh [TENANTS=20] [ROUNDS=3] [SECONDS=15]
# Environment: RECORDS (20 per tenant), CONNECTIONS (32), THREADS (1), WARMUP (seconds per scheme, 20),
#   MIX (read,list,create %, 90,10,0), JAVA_OPTS (-Xms1g -Xmx1g), POOL_SIZE (16),
#   PG_ADMIN (postgresql://postgres@127.0.0.1:5432/postgres), REDIS_URL, KEEP=1 keeps the database and logs.
# Bounded: fixed durations; the server is stopped and its database dropped on exit. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
TENANTS=${1:-${TENANTS:-20}}
ROUNDS=${2:-${ROUNDS:-3}}
SECONDS_PER_RUN=${3:-${SECONDS_PER_RUN:-15}}
RECORDS=${RECORDS:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
WARMUP=${WARMUP:-20}
MIX=${MIX:-90,10,0}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
POOL_SIZE=${POOL_SIZE:-16}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
DB=tenantry_keycost
PORT=${PORT:-18090}
ADMIN_EMAIL=keycost-admin@tenantry.local
ADMIN_PASSWORD=keycost-admin-password
JAR=${JAR:-target/tenantry.jar}
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
WORK=$(mktemp -d /tmp/tenantry-keycost.XXXXXX)
PID=

log() { echo "== $*" >&2; }
command -v wrk >/dev/null || { log "wrk is required (apt-get install wrk)"; exit 2; }
[ -f "$JAR" ] || { log "building $JAR"; mvn -q -B -Dstyle.color=never -DskipTests package >&2; }
log "compiling the load tests (seeding step)"
mvn -q -B -Dstyle.color=never -f load-tests/pom.xml test-compile >&2

drop_db() {
  for tdb in $($PSQL -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${DB}\_t\_%'"); do
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS \"$tdb\" WITH (FORCE)" >/dev/null
  done
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS ${DB}_owner" -c "DROP ROLE IF EXISTS ${DB}_app" >/dev/null
}
cleanup() {
  [ -n "$PID" ] && { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  if [ "${KEEP:-0}" = 1 ]; then log "kept $DB and $WORK"; else drop_db; rm -rf "$WORK"; fi
}
drop_db
trap cleanup EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
log "starting the server (:$PORT, database $DB)"
java $JAVA_OPTS -jar "$JAR" serve --http.host=127.0.0.1 --http.port="$PORT" --http.access-log=false \
  --db.pool-size="$POOL_SIZE" --db.admin-url="$PG_ADMIN" --db.name=$DB --redis.url="$REDIS_URL" \
  --redis.key-prefix="tenantry-keycost:" --data-dir="$WORK/data" \
  --auth.jwt-private-key-file="$WORK/jwt-private.pem" --auth.jwt-public-key-file="$WORK/jwt-public.pem" \
  --auth.token-ttl-seconds=86400 --auth.password-iterations=10000 \
  --admin.email=$ADMIN_EMAIL --admin.password=$ADMIN_PASSWORD >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null && break
  kill -0 "$PID" 2>/dev/null || { tail -20 "$WORK/server.log" >&2; exit 1; }
  sleep 1
done

JWTS=$WORK/jwt.csv
KEYS=$WORK/apikey.csv
log "seeding $TENANTS tenants x $RECORDS records through the public API"
mvn -q -B -Dstyle.color=never -f load-tests/pom.xml exec:java@seed -Dseed.args="--base-url http://127.0.0.1:$PORT \
  --admin-email $ADMIN_EMAIL --admin-password $ADMIN_PASSWORD --tenants $TENANTS --records $RECORDS \
  --isolation shared --prefix kc --out $JWTS" >&2

admin_token=$(curl -sf -X POST "http://127.0.0.1:$PORT/auth/token" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
# the limiter does all its work but never refuses (a 429 is cheaper than a served request)
curl -sf -X PUT "http://127.0.0.1:$PORT/admin/v1/plans/default" -H "Authorization: Bearer $admin_token" \
  -H 'Content-Type: application/json' -d '{"rate": 100000, "burst": 200000}' >/dev/null
log "one API key per tenant"
while IFS=, read -r slug id token ids; do
  if [ "$slug" = slug ]; then echo "$slug,$id,$token,$ids"; continue; fi
  key=$(curl -sf -X POST "http://127.0.0.1:$PORT/admin/v1/tenants/$slug/api-keys" -H "Authorization: Bearer $admin_token" \
    -H 'Content-Type: application/json' -d '{"name":"load","scopes":["records:read","records:write"]}' \
    | sed -E 's/.*"secret":"([^"]+)".*/\1/')
  echo "$slug,$id,$key,$ids"
done <"$JWTS" >"$KEYS"

run_load() { # seed seconds -> RESULT line
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --latency -s load-tests/wrk/records.lua "http://127.0.0.1:$PORT" \
    -- "$1" uniform 1.0 "$MIX" | grep '^RESULT'
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

log "warm-up: ${WARMUP}s per scheme"
run_load "$JWTS" "$WARMUP" >/dev/null
run_load "$KEYS" "$WARMUP" >/dev/null

declare -A rps p99
for scheme in jwt apikey; do rps[$scheme]=0; p99[$scheme]=0; done
for r in $(seq 1 "$ROUNDS"); do
  for scheme in jwt apikey; do
    seed=$JWTS; [ $scheme = apikey ] && seed=$KEYS
    line=$(run_load "$seed" "$SECONDS_PER_RUN")
    echo "round $r $scheme: $line"
    [ "$(field non2xx "$line")" = 0 ] || echo "WARNING: non-2xx answers in round $r ($scheme)"
    rps[$scheme]=$(awk -v a="${rps[$scheme]}" -v b="$(field rps "$line")" 'BEGIN{print a+b}')
    p99[$scheme]=$(awk -v a="${p99[$scheme]}" -v b="$(field p99_ms "$line")" 'BEGIN{print a+b}')
  done
done
for scheme in jwt apikey; do
  echo "mean $scheme: rps=$(awk -v a="${rps[$scheme]}" -v n="$ROUNDS" 'BEGIN{printf "%.1f", a/n}') p99_ms=$(awk -v a="${p99[$scheme]}" -v n="$ROUNDS" 'BEGIN{printf "%.3f", a/n}')"
done
awk -v jr="${rps[jwt]}" -v kr="${rps[apikey]}" -v jp="${p99[jwt]}" -v kp="${p99[apikey]}" -v t="$TENANTS" \
  'BEGIN{printf "apikey-cost: throughput %.1f%% p99 %.1f%% tenants=%d\n", (1-kr/jr)*100, (kp/jp-1)*100, t}'
