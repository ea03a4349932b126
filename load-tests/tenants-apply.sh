#!/usr/bin/env bash
# Declarative bulk provisioning benchmark: `tenants apply` of a generated file of N shared-tier tenants (PARENTS
# top-level tenants, the rest their children, with configuration values and an admin on each parent), timed; then
# the same file again, which must print "no changes". Prints both times, last as one line:
#   tenants-apply: N tenants, first run X s, second run Y s (no changes)
#
#   load-tests/tenants-apply.sh [N=1000] [PARENTS=10]
# Environment: SERVER=http://host:port uses a running server (with TENANTRY_TOKEN, or TENANTRY_EMAIL and
#   TENANTRY_PASSWORD, of a super-admin; the tenants are named bench-apply-*, so use an empty server) instead of
#   starting one; PARALLEL (requests in flight, default 8), ISOLATION (shared), JAVA_OPTS (-Xms512m -Xmx512m),
#   KEEP=1 keeps the database, the file and the log.
# Without SERVER it starts its own server on 127.0.0.1:18090 with its own database (tenantry_apply_bench), which it
# drops with its roles, and its Redis keys, on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-${N:-1000}}
PARENTS=${2:-${PARENTS:-10}}
PARALLEL=${PARALLEL:-8}
ISOLATION=${ISOLATION:-shared}
JAVA_OPTS=${JAVA_OPTS:--Xms512m -Xmx512m}
PORT=${PORT:-18090}
DB=tenantry_apply_bench
PREFIX=tenantry-apply-bench:
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
JAR=${JAR:-target/tenantry.jar}
export PGOPTIONS="-c client_min_messages=warning"
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
WORK=$(mktemp -d /tmp/tenantry-apply.XXXXXX)
PID=
OWN_SERVER=0

log() { echo "== $*" >&2; }

[ -f "$JAR" ] || { log "building $JAR"; mvn -q -B -Dstyle.color=never -DskipTests -Dlint.skip=true package >&2; }

cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [ "$OWN_SERVER" = 1 ] && [ "${KEEP:-0}" != 1 ]; then
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
      -c "DROP ROLE IF EXISTS ${DB}_owner" -c "DROP ROLE IF EXISTS ${DB}_app" >/dev/null
    if command -v redis-cli >/dev/null; then
      redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX}*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
    fi
  fi
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [ -z "${SERVER:-}" ]; then
  OWN_SERVER=1
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS ${DB}_owner" -c "DROP ROLE IF EXISTS ${DB}_app" >/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
  export TENANTRY_EMAIL=apply-bench@tenantry.local TENANTRY_PASSWORD=apply-bench-password
  unset TENANTRY_TOKEN
  log "starting a server on :$PORT (database $DB)"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" serve --http.host=127.0.0.1 --http.port="$PORT" --http.access-log=false \
    --db.name=$DB --redis.url="$REDIS_URL" --redis.key-prefix="$PREFIX" --data-dir="$WORK/data" \
    --auth.jwt-private-key-file="$WORK/jwt-private.pem" --auth.jwt-public-key-file="$WORK/jwt-public.pem" \
    --admin.email="$TENANTRY_EMAIL" --admin.password="$TENANTRY_PASSWORD" >"$WORK/server.log" 2>&1 &
  PID=$!
  SERVER=http://127.0.0.1:$PORT
  for _ in $(seq 1 120); do
    curl -sf "$SERVER/health/ready" >/dev/null && break
    kill -0 "$PID" 2>/dev/null || { log "the server did not start:"; tail -20 "$WORK/server.log" >&2; exit 1; }
    sleep 1
  done
  # an existing account for the parents' admin (apply adds accounts; it cannot create them)
  token=$(curl -sf "$SERVER/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$TENANTRY_EMAIL\",\"password\":\"$TENANTRY_PASSWORD\"}" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -sf "$SERVER/admin/v1/tenants" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"slug":"bench-apply-home","name":"Home of the bench admin"}' >/dev/null
  curl -sf "$SERVER/admin/v1/tenants/bench-apply-home/users" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d '{"email":"bench-admin@tenantry.local","password":"bench-admin-password","role":"member"}' >/dev/null
fi
export TENANTRY_SERVER=$SERVER

FILE=$WORK/tenants.yaml
log "generating $FILE: $N tenants, $PARENTS parents"
{
  echo "tenants:"
  for p in $(seq 1 "$PARENTS"); do
    printf '  - slug: bench-apply-p%d\n    name: Parent %d\n    isolation: %s\n    plan: default\n' "$p" "$p" "$ISOLATION"
    printf '    config: {locale: de-CH, time_zone: Europe/Zurich}\n    admins: [bench-admin@tenantry.local]\n'
  done
  for c in $(seq 1 $((N - PARENTS))); do
    printf '  - slug: bench-apply-c%d\n    name: Child %d\n    parent: bench-apply-p%d\n    isolation: %s\n' \
      "$c" "$c" $(( (c - 1) % PARENTS + 1 )) "$ISOLATION"
    if [ $((c % 10)) = 0 ]; then printf '    config: {features.new_editor: true}\n'; fi
  done
} >"$FILE"

apply() { # prints the wall time in ms; output in $WORK/$1.out
  local start end status=0
  start=$(date +%s%N)
  java -jar "$JAR" tenants apply -f "$FILE" --parallel "$PARALLEL" >"$WORK/$1.out" 2>&1 || status=$?
  end=$(date +%s%N)
  tail -1 "$WORK/$1.out" >&2
  [ "$status" = 0 ] || { log "apply exited with $status:"; grep '^!' "$WORK/$1.out" | head -20 >&2; exit 1; }
  echo $(( (end - start) / 1000000 ))
}

log "first apply (creates $N tenants, $PARALLEL requests in flight)"
first=$(apply first)
log "second apply (must change nothing)"
second=$(apply second)
grep -q '^no changes' "$WORK/second.out" || { log "the second run changed something:"; head -20 "$WORK/second.out" >&2; exit 1; }
printf 'tenants-apply: %d tenants, first run %.1f s, second run %.1f s (no changes)\n' "$N" \
  "$(echo "$first / 1000" | bc -l)" "$(echo "$second / 1000" | bc -l)"
