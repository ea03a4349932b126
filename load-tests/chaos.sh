#!/usr/bin/env bash
# The chaos run (docs/operations/faults.md): two clustered Tenantry nodes, PostgreSQL servers and a Redis of the
# run's own, a mixed read/write load over tenants of every tier (load-tests/chaos-client.py records every request
# and every acknowledged write), and one fault after another with recovery in between:
#   1. the main PostgreSQL restarts        (platform database; shared-, schema- and database-tier tenants on it)
#   2. the second PostgreSQL stops/starts  (a database-tier tenant's own server: only that tenant is hit)
#   3. Redis is SIGKILLed and restarted    (rate limits decided locally meanwhile)
#   4. Redis stalls (DEBUG SLEEP)
#   5. node 2 is SIGKILLed and restarted   (the client, like a load balancer, moves to node 1)
#   6. node 1 is SIGTERMed (drain) and restarted
# Then every acknowledged write is read back and every key counted. Prints, per fault, requests by status, the
# longest time to recover, and for the tenant-scoped fault the other tenants' p99 before vs during; then
#   chaos: acknowledged=N lost=0 applied_twice=0
# and exits non-zero if a write was lost or applied twice.
#
#   load-tests/chaos.sh
# Environment: HOLD (seconds each fault lasts, 5), SETTLE (seconds of recovery after each, 12), JAVA_OPTS
#   (-Xms256m -Xmx512m), KEEP=1 keeps the work directory (logs, requests.tsv, acked.tsv),
#   MAIN_PG=private (default: a PostgreSQL of the run's own, initdb in the work directory) or MAIN_PG=external with
#   MAIN_PG_ADMIN=postgresql://postgres@host:port/postgres and MAIN_PG_RESTART='command that restarts it'
#   (e.g. 'pg_ctlcluster 15 main restart' - which disrupts everything else using that server).
# Bounded (every phase has a fixed length), loopback only (127.0.0.1), and cleans up: nodes, PostgreSQL servers
# and Redis it started are stopped and its work directory removed on exit. As root, PostgreSQL runs as the postgres
# system user (initdb refuses root).
set -euo pipefail
cd "$(dirname "$0")/.."

HOLD=${HOLD:-5}
SETTLE=${SETTLE:-12}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx512m}
MAIN_PG=${MAIN_PG:-private}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
JAR=${JAR:-target/tenantry.jar}
WORK=$(mktemp -d /tmp/tenantry-chaos.XXXXXX)
chmod 755 "$WORK"
ADMIN_EMAIL=chaos-admin@tenantry.test
ADMIN_PASSWORD=chaos-admin-password
PIDS=()
log() { echo "[chaos $(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- PostgreSQL servers of the run's own ----------------------------------------------------------------------
pg_init() { # name port
  mkdir -p "$WORK/$1"
  [ "$(id -u)" = 0 ] && chown postgres "$WORK/$1"
  as_pg "$PG_BIN/initdb" -D "$WORK/$1/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  pg_start "$1" "$2"
}
pg_start() { # name port
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/$1/data" -l "$WORK/$1/log" -w -t 60 \
    -o "-p $2 -k $WORK/$1 -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null
}
pg_stop() { # name [mode]
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/$1/data" -m "${2:-fast}" -w -t 60 stop >/dev/null 2>&1 || true
}

cleanup() {
  set +e
  touch "$WORK/stop"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  [ -n "${NODE_PIDS[1]:-}" ] && kill -9 "${NODE_PIDS[1]}" 2>/dev/null
  [ -n "${NODE_PIDS[2]:-}" ] && kill -9 "${NODE_PIDS[2]}" 2>/dev/null
  [ -n "${REDIS_PID:-}" ] && kill -9 "$REDIS_PID" 2>/dev/null
  [ "$MAIN_PG" = private ] && pg_stop main immediate
  pg_stop second immediate
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

[ -f "$JAR" ] || { log "building $JAR"; mvn -q -B -o -Dstyle.color=never -DskipTests -Dlint.skip=true package >&2; }

if [ "$MAIN_PG" = private ]; then
  MAIN_PORT=$(free_port)
  pg_init main "$MAIN_PORT"
  MAIN_PG_ADMIN="postgresql://postgres@127.0.0.1:$MAIN_PORT/postgres"
  MAIN_PG_STOP="pg_stop main"
  MAIN_PG_START="pg_start main $MAIN_PORT"
else
  : "${MAIN_PG_ADMIN:?MAIN_PG=external needs MAIN_PG_ADMIN}" "${MAIN_PG_RESTART:?MAIN_PG=external needs MAIN_PG_RESTART}"
  MAIN_PG_STOP=$MAIN_PG_RESTART # one command: the recovery is then measured from the end of the hold after it
  MAIN_PG_START=:
  MAIN_PORT=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$MAIN_PG_ADMIN').port or 5432)")
fi
SECOND_PORT=$(free_port)
pg_init second "$SECOND_PORT"
log "PostgreSQL: main on $MAIN_PORT ($MAIN_PG), second on $SECOND_PORT"

REDIS_PORT=$(free_port)
redis_start() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
    >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "redis did not start"; exit 1
}
redis_start

# --- two clustered nodes ----------------------------------------------------------------------------------------
DB=tenantry_chaos
HZ1=$(free_port); HZ2=$(free_port)
HTTP1=$(free_port); HTTP2=$(free_port)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"
common=(--profile=dev --http.host=127.0.0.1 --http.access-log=false --db.host=127.0.0.1 --db.port="$MAIN_PORT"
  --db.name=$DB --db.admin-url="$MAIN_PG_ADMIN" --db.pool-size=8 --db.connect-timeout-ms=30000
  --redis.url="redis://127.0.0.1:$REDIS_PORT" --redis.key-prefix="chaos:"
  --auth.jwt-private-key-file="$WORK/jwt-private.pem" --auth.jwt-public-key-file="$WORK/jwt-public.pem"
  --auth.token-ttl-seconds=86400 --auth.password-iterations=10000 --admin.email=$ADMIN_EMAIL
  --admin.password=$ADMIN_PASSWORD --data-dir="$WORK/data" --http.instances=2
  --cluster.enabled=true --cluster.name="chaos-$$" --cluster.members="127.0.0.1:$HZ1,127.0.0.1:$HZ2"
  --shutdown.drain-ms=2000 --shutdown.timeout-ms=10000 --ratelimit.redis-timeout-ms=250
  --server-breaker.max-failures=3 --server-breaker.reset-ms=2000)
declare -A NODE_PIDS
node_start() { # n
  local hz http
  if [ "$1" = 1 ]; then hz=$HZ1; http=$HTTP1; else hz=$HZ2; http=$HTTP2; fi
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" serve "${common[@]}" --cluster.port="$hz" --http.port="$http" \
    >>"$WORK/node$1.log" 2>&1 &
  NODE_PIDS[$1]=$!
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null && return 0
    kill -0 "${NODE_PIDS[$1]}" 2>/dev/null || break
    sleep 1
  done
  log "node $1 did not start:"; tail -20 "$WORK/node$1.log" >&2; exit 1
}
node_start 1
node_start 2
log "nodes on $HTTP1 and $HTTP2 (cluster chaos-$$)"

# --- tenants of every tier, a member and a token each -------------------------------------------------------------
api() { # method path token [body]
  curl -sS -X "$1" "http://127.0.0.1:$HTTP1$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    ${4:+-d "$4"}
}
token() { # email password [tenant]
  curl -sS -X POST "http://127.0.0.1:$HTTP1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"${3:+,\"tenant\":\"$3\"}}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
ADMIN=$(token $ADMIN_EMAIL $ADMIN_PASSWORD)
tenants_json="[]"
add_tenant() { # slug tier body-extra
  api POST /admin/v1/tenants "$ADMIN" "{\"slug\":\"$1\",\"name\":\"$1\",\"isolation\":\"${2%%-*}\"$3}" >/dev/null
  api POST "/admin/v1/tenants/$1/users" "$ADMIN" \
    "{\"email\":\"m@$1.test\",\"password\":\"password-of-m@$1\",\"role\":\"member\"}" >/dev/null
  local t
  t=$(token "m@$1.test" "password-of-m@$1" "$1")
  tenants_json=$(python3 -c "import json,sys; a=json.loads(sys.argv[1]); a.append({'slug':sys.argv[2],'tier':sys.argv[3],'token':sys.argv[4]}); print(json.dumps(a))" "$tenants_json" "$1" "$2" "$t")
}
add_tenant c-shared shared ""
add_tenant c-schema schema ""
add_tenant c-db database ""
add_tenant c-far database-far ",\"database\":{\"host\":\"127.0.0.1\",\"port\":$SECOND_PORT,\"name\":\"chaos_far\"}"
python3 -c "import json,sys; print(json.dumps({'nodes':['http://127.0.0.1:$HTTP1','http://127.0.0.1:$HTTP2'],'tenants':json.loads(sys.argv[1])}))" \
  "$tenants_json" >"$WORK/tenants.json"
log "tenants: c-shared c-schema c-db (main server) c-far (second server)"

# --- load and faults ----------------------------------------------------------------------------------------------
python3 load-tests/chaos-client.py run "$WORK/tenants.json" "$WORK" "$WORK/stop" &
PIDS+=($!)
: >"$WORK/faults.tsv"
now() { date +%s.%N; }
fault() { # name scope inject heal
  local start healed
  log "fault: $1"
  start=$(now)
  eval "$3"
  sleep "$HOLD"
  eval "$4"
  healed=$(now)
  sleep "$SETTLE"
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$start" "$healed" "$(now)" >>"$WORK/faults.tsv"
}
sleep "$SETTLE" # warm-up, and the baseline for the first fault's "before"
fault "main PostgreSQL restart" all "$MAIN_PG_STOP" "$MAIN_PG_START"
fault "second PostgreSQL stopped, started" tier:database-far "pg_stop second" "pg_start second $SECOND_PORT"
fault "Redis SIGKILL, restart" all "kill -9 \$REDIS_PID; wait \$REDIS_PID 2>/dev/null || true" "redis_start"
fault "Redis stalled (DEBUG SLEEP $HOLD)" all "redis-cli -p $REDIS_PORT debug sleep $HOLD >/dev/null &" ":"
fault "node 2 SIGKILL, restart" all "kill -9 \${NODE_PIDS[2]}; wait \${NODE_PIDS[2]} 2>/dev/null || true" "node_start 2"
fault "node 1 SIGTERM (drain), restart" all "kill -TERM \${NODE_PIDS[1]}; wait \${NODE_PIDS[1]} 2>/dev/null || true" "node_start 1"
touch "$WORK/stop"
wait "${PIDS[0]}"
PIDS=()

log "checking every acknowledged write"
python3 load-tests/chaos-client.py check "$WORK/tenants.json" "$WORK" >/dev/null
python3 load-tests/chaos-client.py report "$WORK" "$WORK/faults.tsv"
python3 - "$WORK/check.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print("chaos: acknowledged=%d stored=%d lost=%d applied_twice=%d" % (r["acknowledged"], r["stored"], r["lost"], r["applied_twice"]))
if r["lost_examples"]:
    print("lost, e.g.:", r["lost_examples"])
sys.exit(1 if r["lost"] or r["applied_twice"] else 0)
EOF
