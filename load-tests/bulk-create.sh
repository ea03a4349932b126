#!/usr/bin/env bash
# Bulk-create throughput: starts the multi-tenant server (java -jar target/tenantry.jar serve) on a database of its
# own, creates one tenant (ISOLATION, shared by default) with limits high enough not to refuse (write_cost 1), and
# creates TOTAL records of ~250 bytes through POST /api/v1/collections/bulk/records:batch in atomic batches of BATCH,
# PARALLEL batches in flight at once (a client per connection, bodies encoded before the clock starts). Prints
#   bulk-create: isolation=I records=N batch=B parallel=P seconds=S records_per_s=R
# then checks the count in the database and the audit entries (one per record). Stops the server and drops its
# database on exit.
#
#   load-tests/bulk-create.sh [TOTAL=100000] [BATCH=1000]
# Environment: ISOLATION (shared | schema | database), PARALLEL (4), PORT (18090), WARMUP (batches first, 20),
#   JAVA_OPTS (-Xms1g -Xmx1g), POOL_SIZE (16), PG_ADMIN, REDIS_URL. Needs curl, python3, psql.
set -euo pipefail
TOTAL=${1:-${TOTAL:-100000}}
BATCH=${2:-${BATCH:-1000}}
ISOLATION=${ISOLATION:-shared}
PARALLEL=${PARALLEL:-4}
PORT=${PORT:-18090}
WARMUP=${WARMUP:-20}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
POOL_SIZE=${POOL_SIZE:-16}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
JAR=${JAR:-target/tenantry.jar}
DB=tenantry_bulk
ADMIN_EMAIL=bulk-admin@tenantry.local
ADMIN_PASSWORD=bulk-admin-password
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
WORK=$(mktemp -d /tmp/tenantry-bulk.XXXXXX)
PID=

log() { echo "== $*" >&2; }
drop_db() {
  for tdb in $($PSQL -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${DB}\_t\_%'"); do
    $PSQL -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$tdb\" WITH (FORCE)" >/dev/null
  done
  $PSQL -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS ${DB}_owner" \
    -c "DROP ROLE IF EXISTS ${DB}_app" >/dev/null
}
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then log "kept $DB and $WORK"; else drop_db; rm -rf "$WORK"; fi
}
[ -f "$JAR" ] || { log "building $JAR"; mvn -q -B -Dstyle.color=never -DskipTests package >&2; }
drop_db
trap cleanup EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" serve --http.host=127.0.0.1 --http.port="$PORT" --http.access-log=false \
  --db.name=$DB --db.admin-url="$PG_ADMIN" --db.pool-size="$POOL_SIZE" --db.connect-timeout-ms=30000 --redis.url="$REDIS_URL" \
  --redis.key-prefix="tenantry-bulk:" --data-dir="$WORK/data" --auth.password-iterations=10000 \
  --auth.jwt-private-key-file="$WORK/jwt-private.pem" --auth.jwt-public-key-file="$WORK/jwt-public.pem" \
  --admin.email=$ADMIN_EMAIL --admin.password=$ADMIN_PASSWORD >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null && break
  kill -0 "$PID" 2>/dev/null || { tail -20 "$WORK/server.log" >&2; exit 1; }
  sleep 1
done

BASE=http://127.0.0.1:$PORT
TOKEN=$(curl -sf -X POST "$BASE/auth/token" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf -o /dev/null -X POST "$BASE/admin/v1/tenants" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"slug\":\"bulk\",\"name\":\"Bulk\",\"isolation\":\"$ISOLATION\"}"
curl -sf -o /dev/null -X PUT "$BASE/admin/v1/tenants/bulk/limits" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"rate": 1000000, "burst": 1000000, "write_cost": 1}'

python3 - "$BASE" "$TOKEN" "$TOTAL" "$BATCH" "$PARALLEL" "$WARMUP" "$ISOLATION" <<'PY'
import http.client, json, sys, threading, time, urllib.parse
base, token, total, batch, parallel, warmup, isolation = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7]), sys.argv[7]
host = urllib.parse.urlparse(base)
path = "/t/bulk/api/v1/collections/bulk/records:batch"
filler = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore"
def body(first, n):
    ops = [{"op": "create", "record": {"title": "record %d" % i, "n": i, "status": "open", "total": i % 997,
            "tags": ["bulk", "load", "t%d" % (i % 7)], "note": filler + filler[: 40]}} for i in range(first, first + n)]
    return json.dumps({"operations": ops}).encode()
def run(bodies):
    queue = list(enumerate(bodies))
    lock = threading.Lock()
    failures = []
    def worker():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                _, b = queue.pop()
            conn.request("POST", path, body=b, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            if r.status != 200:
                failures.append((r.status, data[:300]))
    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    if failures:
        sys.exit("failed batches: %d, first: %r" % (len(failures), failures[0]))
    return time.perf_counter() - start
size = len(body(0, 1)) - len(b'{"operations": []}')
print("== warm-up: %d batches of %d (record ~%d bytes as JSON)" % (warmup, batch, size), file=sys.stderr)
run([body(-(w + 1) * batch, batch) for w in range(warmup)])
bodies = [body(i, min(batch, total - i)) for i in range(0, total, batch)]
seconds = run(bodies)
print("bulk-create: isolation=%s records=%d batch=%d parallel=%d seconds=%.2f records_per_s=%d"
      % (isolation, total, batch, parallel, seconds, total / seconds))
PY

tenant_id=$($PSQL -d $DB -c "SELECT id FROM platform.tenants WHERE slug = 'bulk'")
case $ISOLATION in
  shared) count_db=$DB; schema=shared ;;
  schema) count_db=$DB; schema="t_${tenant_id//-/}" ;;
  database) count_db=$($PSQL -d $DB -c "SELECT datname FROM pg_database WHERE datname LIKE '${DB}\_t\_%' LIMIT 1"); schema=tenant ;;
esac
log "stored: $($PSQL -d "$count_db" -c "SELECT count(*) FROM \"$schema\".records WHERE collection = 'bulk'") records," \
  "$($PSQL -d "$count_db" -c "SELECT count(*) FROM \"$schema\".audit_log WHERE action = 'record.create'") record.create audit entries"
