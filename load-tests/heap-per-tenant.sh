#!/usr/bin/env bash
# Retained heap per active tenant: starts the multi-tenant server (java -jar target/tenantry.jar serve) on a database
# of its own, creates TENANTS shared-tier tenants straight in SQL (platform.tenants, active), touches WARM other
# tenants first (JIT, pools, prepared statements, caches), then measures the live heap after a full GC before and
# after touching each of the TENANTS tenants through the public API: GET one page of records and (TOUCH=rw, the
# default) POST one record, each as the super-admin through the /t/<slug>/ path prefix (tenant resolution, the
# tenant cache, the limits cache, the rate limiter's budget, the concurrency cap, the statement memo, metering and
# the audit entry all see the tenant). Prints the live heap before and after (jcmd GC.class_histogram, which runs a
# full GC first), the classes that grew most, and, last, exactly one line:
#   heap per tenant: X bytes (Y KiB) retained, tenants=N
# With IDLE=s it then waits s seconds with no traffic and measures again (what idle tenants still hold once the
# per-tenant caches have dropped them), printing `heap per idle tenant: ...` before that line.
#
#   load-tests/heap-per-tenant.sh [TENANTS=10000]
# Environment: WARM (200), TOUCH (rw|r, default rw), IDLE (0 seconds), JAVA_OPTS (-Xms1g -Xmx1g), PORT (18090),
#   PG_ADMIN (postgresql://postgres@127.0.0.1:5432/postgres), REDIS_URL, JAR (target/tenantry.jar), KEEP=1 keeps
#   the database and the server's log, DUMP (a path: a heap dump of the live
#   objects after touching, for finding owners), PARALLEL (4 curl processes touching tenants at once,
#   each reusing one keep-alive connection for its batch of 200 tenants).
# Bounded: the tenant count is fixed, the server is stopped and its database dropped on exit. Loopback only.
# The super-admin's requests charge the same per-tenant state as a member's, except that one user (not one per
# tenant) appears in each tenant's per-user rate-limit state.
set -euo pipefail
cd "$(dirname "$0")/.."
TENANTS=${1:-${TENANTS:-10000}}
WARM=${WARM:-200}
TOUCH=${TOUCH:-rw}
IDLE=${IDLE:-0}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
PORT=${PORT:-18090}
PARALLEL=${PARALLEL:-4}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
JAR=${JAR:-target/tenantry.jar}
DB=tenantry_heap
ADMIN_EMAIL=heap-admin@tenantry.local
ADMIN_PASSWORD=heap-admin-password
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
WORK=$(mktemp -d /tmp/tenantry-heap.XXXXXX)
BASE=http://127.0.0.1:$PORT
SERVER_PID=""
case $TOUCH in rw|r) ;; *) echo "TOUCH must be rw or r" >&2; exit 2 ;; esac
[[ $TENANTS =~ ^[0-9]+$ && $TENANTS -gt 0 ]] || { echo "TENANTS must be a positive number" >&2; exit 2; }

log() { echo "== $*" >&2; }

drop_db() {
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS ${DB}_owner" \
    -c "DROP ROLE IF EXISTS ${DB}_app" >/dev/null
  if command -v redis-cli >/dev/null; then
    redis-cli -u "$REDIS_URL" --scan --pattern 'tenantry-heap:*' 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
  fi
}
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then log "kept database $DB and $WORK"; else drop_db; rm -rf "$WORK"; fi
}
command -v jcmd >/dev/null || { log "jcmd (JDK) is needed"; exit 2; }
[ -f "$JAR" ] || { log "building $JAR"; mvn -q -B -Dstyle.color=never -DskipTests package >&2; }
drop_db
trap cleanup EXIT
trap 'exit 130' INT TERM

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
log "starting the server (:$PORT, database $DB, $JAVA_OPTS)"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" serve --http.host=127.0.0.1 --http.port="$PORT" --db.name=$DB --db.admin-url="$PG_ADMIN" \
  --redis.url="$REDIS_URL" --redis.key-prefix=tenantry-heap: --auth.jwt-private-key-file="$WORK/jwt-private.pem" \
  --auth.jwt-public-key-file="$WORK/jwt-public.pem" --auth.password-iterations=10000 --admin.email=$ADMIN_EMAIL \
  --admin.password=$ADMIN_PASSWORD --data-dir="$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -sf "$BASE/health/live" >/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { log "the server did not start:"; tail -20 "$WORK/server.log" >&2; exit 1; }
  sleep 1
done

log "creating $WARM warm-up and $TENANTS measured shared-tier tenants in SQL"
$PSQL -d $DB -c "INSERT INTO platform.tenants (id, slug, name, status, isolation)
  SELECT gen_random_uuid(), 'heap-warm-' || i, 'heap warm ' || i, 'active', 'shared' FROM generate_series(1, $WARM) i" \
  -c "INSERT INTO platform.tenants (id, slug, name, status, isolation)
  SELECT gen_random_uuid(), 'heap-t-' || i, 'heap tenant ' || i, 'active', 'shared' FROM generate_series(1, $TENANTS) i"

token=$(curl -sf -X POST "$BASE/auth/token" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[ -n "$token" ] || { log "no admin token"; exit 1; }

touch_tenants() { # prefix count -> prints the status codes that were not 2xx, if any
  # One curl process per batch of 200 tenants, its requests given as a config on stdin (next between them), so they
  # share one keep-alive connection: per-connection objects in the server are per client, not per tenant.
  local prefix=$1 count=$2
  seq 1 "$count" | xargs -P "$PARALLEL" -n 200 sh -c '
    token=$1; base=$2; prefix=$3; touch=$4; shift 4
    for i in "$@"; do
      printf "%s\n" next "silent" "output = /dev/null" "write-out = \"%{http_code}\\n\"" \
        "header = \"Authorization: Bearer $token\"" "url = \"$base/t/$prefix$i/api/v1/collections/notes/records?limit=1\""
      if [ "$touch" = rw ]; then
        printf "%s\n" next "silent" "output = /dev/null" "write-out = \"%{http_code}\\n\"" \
          "header = \"Authorization: Bearer $token\"" "header = \"Content-Type: application/json\"" \
          "data = \"{\\\"n\\\": $i}\"" "url = \"$base/t/$prefix$i/api/v1/collections/notes/records\""
      fi
    done | sed 1d | curl -K -' _ "$token" "$BASE" "$prefix" "$TOUCH" | grep -v '^2' | sort | uniq -c || true
}

histogram() { # file: the live objects after a full GC (GC.class_histogram runs one)
  jcmd "$SERVER_PID" GC.class_histogram >"$1"
}
total() { awk '/^Total/ {print $3}' "$1"; }
grew() { # before after: the classes whose live bytes grew most
  awk 'FNR == NR && $1 ~ /^[0-9]+:$/ {b[$4] = $3; next}
       $1 ~ /^[0-9]+:$/ {d = $3 - b[$4]; if (d > 0) printf "%12d %s\n", d, $4}' "$1" "$2" | sort -rn | awk 'NR <= 15' # not head: sort killed by SIGPIPE would end the script (pipefail)
}

log "warm-up: touching $WARM tenants twice"
touch_tenants heap-warm- "$WARM" >&2
touch_tenants heap-warm- "$WARM" >&2
histogram "$WORK/before.txt"
started=$(date +%s)
log "touching $TENANTS tenants (TOUCH=$TOUCH)"
refused=$(touch_tenants heap-t- "$TENANTS")
log "touched in $(( $(date +%s) - started )) s"
histogram "$WORK/after.txt"
if [ -n "${DUMP:-}" ]; then jcmd "$SERVER_PID" GC.heap_dump "$(realpath -m "$DUMP")" >&2; fi
if [ -n "$refused" ]; then
  echo "WARNING: answers other than 2xx while touching (count, status):"; echo "$refused"
fi

before=$(total "$WORK/before.txt"); after=$(total "$WORK/after.txt")
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $JAVA_OPTS; tenants=$TENANTS, warm=$WARM, touch=$TOUCH"
echo "live heap before: $before bytes; after touching $TENANTS tenants: $after bytes"
echo "classes that grew most (bytes, class):"
grew "$WORK/before.txt" "$WORK/after.txt"
if [ "$IDLE" -gt 0 ]; then
  log "idle for $IDLE s, then measuring again"
  sleep "$IDLE"
  histogram "$WORK/idle.txt"
  idle=$(total "$WORK/idle.txt")
  awk -v a="$idle" -v b="$before" -v n="$TENANTS" -v s="$IDLE" \
    'BEGIN {printf "heap per idle tenant: %.0f bytes (%.2f KiB) retained after %d s without traffic\n", (a - b) / n, (a - b) / n / 1024, s}'
fi
awk -v a="$after" -v b="$before" -v n="$TENANTS" \
  'BEGIN {printf "heap per tenant: %.0f bytes (%.2f KiB) retained, tenants=%d\n", (a - b) / n, (a - b) / n / 1024, n}'
