#!/usr/bin/env bash
# The multi-tenancy overhead benchmark: the multi-tenant server (java -jar target/tenantry.jar serve) against the
# single-tenant baseline (io.tenantry.load.baseline.BaselineMain from this module, run on the jar's class path: same
# HTTP stack, JSON, JWT verification and pool, one plain table, no tenant machinery), both on this machine against
# the same PostgreSQL and Redis, each with its own database. Seeds TENANTS tenants with a member, a token and RECORDS
# records each through the public API of the multi-tenant server, copies exactly those records into the baseline's
# table, restarts the multi-tenant server (RESTART_AFTER_SEED=0: not), then runs the same wrk workload
# (same tokens, same record ids, same mix) against each server alternately, A B A B ..., ROUNDS rounds.
# Prints every round (with the server's context switches and CPU per request served, all its threads, from /proc),
# the means, the ratios, the servers' CPU per request (`cpu` line) and, last, exactly one line:
#   overhead: throughput X% p99 Y% tenants=N
# (X: how much lower the multi-tenant throughput is than the baseline's; Y: how much higher its p99 latency.)
#
#   load-tests/overhead.sh [TENANTS=100] [ROUNDS=3] [SECONDS=20]
# Environment: ISOLATION (shared|schema, default shared), DIST (uniform|zipf, default uniform), ZIPF (1.0),
#   RECORDS (20 per tenant), CONNECTIONS (32), THREADS (wrk threads, 1), WARMUP (seconds per server, 60),
#   MIX (read,list,create %, 80,10,10; a GET-only mix, 100,0,0, adds the raw reference below), ACCESS_LOG (true, as
#   shipped: both servers log every request; ACCESS_LOG=false prices the access log), JAVA_OPTS (-Xms1g -Xmx1g), POOL_SIZE (16),
#   PG_ADMIN (postgresql://postgres@127.0.0.1:5432/postgres), REDIS_URL, TOOL (wrk|gatling; default wrk,
#   gatling when wrk is missing and cannot be installed), KEEP=1 keeps the databases and logs,
#   JFR_DIR=dir records a Java Flight Recording of each server (profile settings) into dir/{mt,base}.jfr,
#   PROFILE_DIR=dir attaches async-profiler (tools.profiler:async-profiler from Maven Central) to the servers for
#   the measured rounds only and writes CPU stacks in collapsed form to dir/{mt,base,iso}.collapsed (flame-graph input;
#   each server is idle while the other runs, so each file holds its own rounds),
#   STRACE_DIR=dir counts each server's system calls in the measured rounds (strace -c -f, attached after the warm-up;
#   it slows the servers many times, so that run's throughput figures mean nothing) into dir/{mt,base,...}.strace and
#   prints the calls per request served, by call, per server,
#   SWITCHES_BY_THREAD=1 prints, after the rounds, each server's context switches and CPU per request served by thread
#   name (voluntary: the thread waited, e.g. an idle event loop; involuntary: it was preempted), the costliest first,
#   MT_FLAGS extra --key=value flags for the multi-tenant server only (e.g. --db.tenant-context=transaction),
#   ABLATION=1 adds a third server to every round, A B C A B C ...: the baseline serving the multi-tenant database's
#   shared.records through the shared tier's statement shapes (BaselineMain --shared-table: tenant
#   key, the statement's tenant context, forced RLS, the foreign key; tenant id straight from the token; no audit entry), which
#   splits the overhead into PostgreSQL's isolation work (shared-table baseline / baseline) and the server's tenant
#   machinery (multi-tenant / shared-table baseline),
#   VARIANT_FLAGS='--key=value ...' adds a third server to every round, A B C A B C ...: the multi-tenant server
#   again (same database, same seed, MT_FLAGS too) with these flags on top, and prints, before the overhead line,
#   `variant: throughput X% p99 Y% flags=...` (variant against the multi-tenant server in the same run: + is more
#   throughput / a higher p99), so that a setting is priced side by side, e.g. VARIANT_FLAGS='--metering.enabled=false'
#   or VARIANT_FLAGS='--http.access-log=false'. The keys are those of conf/tenantry.yaml; the server refuses an
#   unknown key at start (the script then shows its log). Both servers serve one database, each with its own Redis
#   prefix, so both run their background work (metering flush, job runner) throughout,
#   VARIANT_JAR=path runs the variant from another build of the server (with VARIANT_FLAGS, if any): a change's
#   before and after side by side in one run, e.g. VARIANT_JAR=/tmp/before/target/tenantry.jar (build the other
#   commit in a git worktree; its database migrations must be those of JAR or a prefix of them: both serve one
#   database, which JAR's server migrated),
#   MT_SQL='...' SQL run as the superuser in the multi-tenant database after seeding, before the warm-up (ablations,
#   e.g. MT_SQL='ALTER TABLE shared.records DROP CONSTRAINT records_tenant_id_fkey' to price the foreign key),
#   PLAN_RATE=n (default 100000) sets the default plan's rate to n/s (burst 2n) before the rounds, so that the
#   limiter does all its work (leases from Redis, RateLimit-* headers) but never refuses: a 429 is cheaper than a
#   served request and would flatter the multi-tenant server. PLAN_RATE=default keeps the shipped plan (100/s,
#   burst 200 per tenant), which ~100 tenants sharing ~10,000 req/s exceed. Any non-2xx answer in a measured round
#   is reported with a warning before the overhead line.
#   AUTH=apikey: the multi-tenant server's clients authenticate with one API key per tenant (`Authorization: ApiKey`,
#   scopes records:read and records:write) instead of the member's JWT; the baselines keep verifying the JWTs. So the
#   overhead line prices the multi-tenant stack as a machine client uses it (default AUTH=jwt).
#   PIN=1: the production shape, PostgreSQL (postmaster and every backend) and Redis on CPU 0, the servers and the
#   load generator on CPU 1 (taskset); the affinity of PostgreSQL and Redis is restored on exit, also on Ctrl-C and
#   failure. The output says which shape ran. Needs 2+ cores and permission to change the services' affinity.
#   Raw reference (GET-only mixes): io.tenantry.load.RawServer from the load-tests module, one Router route serving the
#   same single-record GET from the baseline's table through a pooled pipelined PgBuilder client, no auth, no
#   validation, no logging; every round then prints raw / baseline / multi-tenant.
# Bounded: every run has a fixed duration and the script stops both servers and drops both databases on exit.
# Only loopback traffic (127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
TENANTS=${1:-${TENANTS:-100}}
ROUNDS=${2:-${ROUNDS:-3}}
SECONDS_PER_RUN=${3:-${SECONDS_PER_RUN:-20}}
ISOLATION=${ISOLATION:-shared}
DIST=${DIST:-uniform}
ZIPF=${ZIPF:-1.0}
RECORDS=${RECORDS:-20}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
WARMUP=${WARMUP:-60}
MIX=${MIX:-80,10,10}
ACCESS_LOG=${ACCESS_LOG:-true}
PIN=${PIN:-0}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
POOL_SIZE=${POOL_SIZE:-16}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
TOOL=${TOOL:-wrk}
AUTH=${AUTH:-jwt}
case $AUTH in jwt|apikey) ;; *) echo "AUTH must be jwt or apikey" >&2; exit 2 ;; esac
MT_DB=tenantry_ovh_mt
BASE_DB=tenantry_ovh_base
MT_PORT=${MT_PORT:-18080}
BASE_PORT=${BASE_PORT:-18081}
ISO_PORT=${ISO_PORT:-18082}
RAW_PORT=${RAW_PORT:-18083}
ABLATION=${ABLATION:-0}
VARIANT_FLAGS=${VARIANT_FLAGS:-}
VARIANT_JAR=${VARIANT_JAR:-}
[ -z "$VARIANT_JAR" ] || [ -f "$VARIANT_JAR" ] || { echo "VARIANT_JAR: no file $VARIANT_JAR" >&2; exit 2; }
VARIANT="${VARIANT_JAR:+the jar $VARIANT_JAR}${VARIANT_JAR:+${VARIANT_FLAGS:+ with }}$VARIANT_FLAGS"
VAR_PORT=${VAR_PORT:-18084}
for flag in $VARIANT_FLAGS; do
  [[ $flag =~ ^--[a-z0-9][a-z0-9.-]*=.+ ]] || { echo "VARIANT_FLAGS: '$flag' is not --key=value" >&2; exit 2; }
done
ADMIN_EMAIL=overhead-admin@tenantry.local
ADMIN_PASSWORD=overhead-admin-password
JAR=${JAR:-target/tenantry.jar}
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
WORK=$(mktemp -d /tmp/tenantry-overhead.XXXXXX)
PIDS=()
declare -A SIDE_PID

log() { echo "== $*" >&2; }

# PIN=1: services on CPU 0, everything this script starts on CPU 1. Backends forked later inherit the postmaster's
# affinity; restore_affinity puts back the mask PostgreSQL and Redis had.
ON_CPU1=()
SERVICE_MASK=""
service_pids() { pgrep -x postgres; pgrep -x redis-server; true; }
pin_services() {
  [ "$PIN" = 1 ] || return 0
  command -v taskset >/dev/null || { log "PIN=1 needs taskset (util-linux)"; exit 2; }
  [ "$(nproc)" -ge 2 ] || { log "PIN=1 needs two cores"; exit 2; }
  SERVICE_MASK=$(taskset -p "$(pgrep -x postgres | head -n 1)" | sed -E 's/.*: //')
  for pid in $(service_pids); do taskset -a -p -c 0 "$pid" >/dev/null 2>&1 || true; done
  ON_CPU1=(taskset -c 1)
  log "pinned: PostgreSQL and Redis on CPU 0 (their mask was $SERVICE_MASK), servers and load generator on CPU 1"
}
restore_affinity() {
  [ -n "$SERVICE_MASK" ] || return 0
  for pid in $(service_pids); do taskset -a -p "$SERVICE_MASK" "$pid" >/dev/null 2>&1 || true; done
  log "restored the affinity of PostgreSQL and Redis to mask $SERVICE_MASK"
  SERVICE_MASK=""
}
SHAPE="unpinned (servers, load generator, PostgreSQL and Redis share all $(nproc) cores)"
[ "$PIN" = 1 ] && SHAPE="pinned (PostgreSQL and Redis on CPU 0; servers and load generator on CPU 1)"

if [ "$TOOL" = wrk ] && ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing wrk (Debian package)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } || true
  fi
  command -v wrk >/dev/null || { log "wrk is not available: falling back to Gatling (closed model)"; TOOL=gatling; }
fi
# the baseline compiles against the plain jar (Tenantry's classes) and runs on the runnable one
if [ ! -f "$JAR" ] || ! compgen -G "target/tenantry-[0-9]*.jar" >/dev/null; then
  log "building $JAR"; mvn -q -B -Dstyle.color=never -DskipTests package >&2
fi
log "compiling the load tests (seeding step, simulations, the baseline and the raw reference)"
mvn -q -B -Dstyle.color=never -f load-tests/pom.xml test-compile >&2
[ -f load-tests/target/test-classes/io/tenantry/load/baseline/BaselineMain.class ] \
  || { log "the baseline was not compiled: load-tests/pom.xml compiles it when target/tenantry-<version>.jar exists"; exit 1; }

drop_dbs() {
  for db in $MT_DB $BASE_DB; do
    # database-tier tenants of the multi-tenant server have databases of their own
    for tdb in $($PSQL -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${db}\_t\_%'"); do
      $PSQL -d postgres -c "DROP DATABASE IF EXISTS \"$tdb\" WITH (FORCE)" >/dev/null
    done
    $PSQL -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
      -c "DROP ROLE IF EXISTS ${db}_owner" -c "DROP ROLE IF EXISTS ${db}_app" >/dev/null
  done
}
drop_redis_keys() { # whatever the servers kept in Redis (rate-limit state, once it exists) under their prefixes
  command -v redis-cli >/dev/null || return 0
  redis-cli -u "$REDIS_URL" --scan --pattern 'tenantry-overhead:*' 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
}
cleanup() {
  restore_affinity
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then log "kept databases and $WORK"; else drop_dbs; drop_redis_keys; rm -rf "$WORK"; fi
}
drop_dbs
drop_redis_keys
trap cleanup EXIT
trap 'exit 130' INT TERM
pin_services

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt-private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt-private.pem" -pubout -out "$WORK/jwt-public.pem"

# Identical configuration for both servers, apart from the database, port and Redis prefix.
common=(--http.host=127.0.0.1 --http.access-log="$ACCESS_LOG" --db.pool-size="$POOL_SIZE" --db.admin-url="$PG_ADMIN"
  --redis.url="$REDIS_URL" --auth.jwt-private-key-file="$WORK/jwt-private.pem"
  --auth.jwt-public-key-file="$WORK/jwt-public.pem" --auth.token-ttl-seconds=86400 --auth.password-iterations=10000
  --admin.email=$ADMIN_EMAIL --admin.password=$ADMIN_PASSWORD --tenancy.default-isolation="$ISOLATION")
BASELINE=(-cp "$JAR:load-tests/target/test-classes" io.tenantry.load.baseline.BaselineMain)
start_server() { # name serve|baseline db port
  local jfr=() extra=() variant=() main=(-jar "$JAR" serve)
  [[ $1 = mt || $1 = var ]] && [ -n "${MT_FLAGS:-}" ] && read -r -a extra <<<"$MT_FLAGS"
  [ "$1" = var ] && read -r -a variant <<<"$VARIANT_FLAGS" && extra+=("${variant[@]}")
  [ "$1" = var ] && [ -n "$VARIANT_JAR" ] && main=(-jar "$VARIANT_JAR" serve)
  [ "$2" = baseline ] && main=("${BASELINE[@]}")
  [ "$1" = iso ] && extra=(--shared-table)
  if [ -n "${JFR_DIR:-}" ]; then
    mkdir -p "$JFR_DIR"
    jfr=("-XX:StartFlightRecording=filename=$(realpath "$JFR_DIR")/$1.jfr,settings=profile,dumponexit=true")
  fi
  # shellcheck disable=SC2086
  "${ON_CPU1[@]}" java $JAVA_OPTS "${jfr[@]}" "${main[@]}" "${common[@]}" "${extra[@]}" --db.name="$3" --http.port="$4" \
    --redis.key-prefix="tenantry-overhead:$1:" --data-dir="$WORK/$1" >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  SIDE_PID[$1]=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$4/health/live" >/dev/null && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 1
  done
  log "$1 did not start:"; tail -20 "$WORK/$1.log" >&2; exit 1
}
log "starting the multi-tenant server (:$MT_PORT, database $MT_DB) and the baseline (:$BASE_PORT, database $BASE_DB)"
start_server mt serve $MT_DB $MT_PORT
start_server base baseline $BASE_DB $BASE_PORT
SIDES=(mt base)
if [ "$ABLATION" = 1 ]; then
  [ "$ISOLATION" = shared ] || { log "ABLATION=1 measures the shared tier only"; exit 2; }
  log "starting the shared-table baseline (:$ISO_PORT, database $MT_DB)"
  start_server iso baseline $MT_DB $ISO_PORT
  SIDES=(mt iso base)
fi
if [ -n "$VARIANT" ]; then
  log "starting the variant: the multi-tenant server with $VARIANT (:$VAR_PORT, database $MT_DB)"
  start_server var serve $MT_DB $VAR_PORT
  SIDES=("${SIDES[@]}" var)
fi

SEED=$WORK/seed.csv
log "seeding $TENANTS $ISOLATION-tier tenants x $RECORDS records through the public API"
mvn -q -B -Dstyle.color=never -f load-tests/pom.xml exec:java@seed -Dseed.args="--base-url http://127.0.0.1:$MT_PORT \
  --admin-email $ADMIN_EMAIL --admin-password $ADMIN_PASSWORD --tenants $TENANTS --records $RECORDS \
  --isolation $ISOLATION --prefix ovh --out $SEED" >&2

admin_token=$(curl -sf -X POST "http://127.0.0.1:$MT_PORT/auth/token" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
MT_SEED=$SEED
if [ "$AUTH" = apikey ]; then
  log "one API key per tenant for the multi-tenant server's clients"
  MT_SEED=$WORK/apikey.csv
  while IFS=, read -r slug id token ids; do
    if [ "$slug" = slug ]; then echo "$slug,$id,$token,$ids"; continue; fi
    key=$(curl -sf -X POST "http://127.0.0.1:$MT_PORT/admin/v1/tenants/$slug/api-keys" -H "Authorization: Bearer $admin_token" \
      -H 'Content-Type: application/json' -d '{"name":"load","scopes":["records:read","records:write"]}' \
      | sed -E 's/.*"secret":"([^"]+)".*/\1/')
    echo "$slug,$id,$key,$ids"
  done <"$SEED" >"$MT_SEED"
fi

PLAN_RATE=${PLAN_RATE:-100000}
if [ "$PLAN_RATE" != default ]; then
  log "default plan: $PLAN_RATE requests/s per tenant, burst $((PLAN_RATE * 2))"
  curl -sf -X PUT "http://127.0.0.1:$MT_PORT/admin/v1/plans/default" -H "Authorization: Bearer $admin_token" \
    -H 'Content-Type: application/json' -d "{\"rate\": $PLAN_RATE, \"burst\": $((PLAN_RATE * 2))}" >/dev/null
fi

log "copying the same records into the baseline's table"
records_sql() {
  local q="SELECT collection, id, version, data, created_at, updated_at FROM shared.records"
  for s in $($PSQL -d $MT_DB -c "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\_%'"); do
    q="$q UNION ALL SELECT collection, id, version, data, created_at, updated_at FROM \"$s\".records"
  done
  echo "$q"
}
$PSQL -d $MT_DB -c "COPY ($(records_sql)) TO STDOUT" \
  | $PSQL -d $BASE_DB -c "COPY baseline.records (collection, id, version, data, created_at, updated_at) FROM STDIN"
echo "records: multi-tenant $($PSQL -d $MT_DB -c "SELECT (SELECT count(*) FROM shared.records)") (shared table), baseline $($PSQL -d $BASE_DB -c "SELECT count(*) FROM baseline.records")" >&2
if [ -n "${MT_SQL:-}" ]; then
  log "ablation in $MT_DB: $MT_SQL"
  $PSQL -d $MT_DB -c "$MT_SQL" >/dev/null
fi
$PSQL -d $MT_DB -c "VACUUM ANALYZE" && $PSQL -d $BASE_DB -c "VACUUM ANALYZE"

# The seeding went through the multi-tenant server's own API (tenants, users, tokens, records): traffic no other
# server of the run sees, whose profiles the JIT compiled its shared code after. A server of the same build started
# beside it and warmed up only by the workload served 10.7% more in one run (2026-12-02, VARIANT_JAR of the same jar,
# docs/benchmarks.md), so every server meets the warm-up as a fresh JVM; RESTART_AFTER_SEED=0 keeps the seeded one.
if [ "${RESTART_AFTER_SEED:-1}" = 1 ]; then
  log "restarting the multi-tenant server, so that it meets the warm-up as fresh as the others"
  kill "${SIDE_PID[mt]}" && wait "${SIDE_PID[mt]}" 2>/dev/null || true
  start_server mt serve $MT_DB $MT_PORT
fi

if [ "${MIX%%,*}" = 100 ]; then
  log "GET-only mix: starting the raw reference (:$RAW_PORT, database $BASE_DB)"
  mvn -q -B -Dstyle.color=never -f load-tests/pom.xml dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/raw.cp" >&2
  # shellcheck disable=SC2086
  "${ON_CPU1[@]}" java $JAVA_OPTS -cp "load-tests/target/test-classes:$(cat "$WORK/raw.cp")" io.tenantry.load.RawServer \
    --port "$RAW_PORT" --db "$BASE_DB" --pool-size "$POOL_SIZE" >"$WORK/raw.log" 2>&1 &
  PIDS+=($!)
  RAW_PID=$!
  for _ in $(seq 1 60); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RAW_PORT/")" = 404 ] && break
    kill -0 "$RAW_PID" 2>/dev/null || { log "raw reference did not start:"; tail -20 "$WORK/raw.log" >&2; exit 1; }
    sleep 1
  done
  SIDES=("${SIDES[@]}" raw)
  SIDE_PID[raw]=$RAW_PID
fi

run_load() { # port seconds -> RESULT line
  local seed=$SEED
  [[ $1 = "$MT_PORT" || $1 = "$VAR_PORT" ]] && seed=$MT_SEED
  if [ "$TOOL" = wrk ]; then
    "${ON_CPU1[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2"s --latency -s load-tests/wrk/records.lua "http://127.0.0.1:$1" \
      -- "$seed" "$DIST" "$ZIPF" "$MIX" | grep '^RESULT'
  else
    IFS=, read -r r l c <<<"$MIX"
    mvn -q -B -Dstyle.color=never -f load-tests/pom.xml gatling:test -Dgatling.simulationClass=io.tenantry.load.RecordsSimulation \
      -DbaseUrl="http://127.0.0.1:$1" -Dseed="$seed" -Ddist="$DIST" -Dzipf="$ZIPF" -Dmodel=closed \
      -Dusers="$CONNECTIONS" -Dramp=2 -Dduration="$2" -Dmix="$r,$l,$c,0" >"$WORK/gatling.out" 2>&1 || true
    awk -F'|' -v s="$2" '
      function num(x) { gsub(/[ ,]/, "", x); return x == "-" ? 0 : x }
      /> request count/ {n = num($2); ko = num($4)}
      /> response time 50th percentile/ {p50 = num($2)}
      /> response time 99th percentile/ {p99 = num($2)}
      /> mean throughput/ {rps = num($2)}
      END {printf "RESULT requests=%d seconds=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=0\n", n, s, rps, p50, p99, ko}
    ' "$WORK/gatling.out"
  fi
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

log "warm-up: ${WARMUP}s per server (JIT, pools, prepared statements, caches)"
port_of() { case $1 in mt) echo $MT_PORT ;; iso) echo $ISO_PORT ;; raw) echo $RAW_PORT ;; var) echo $VAR_PORT ;; *) echo $BASE_PORT ;; esac; }
name_of() { case $1 in mt) echo multi-tenant ;; iso) echo shared-table ;; raw) echo raw ;; var) echo variant ;; *) echo baseline ;; esac; }
for side in "${SIDES[@]}"; do run_load "$(port_of $side)" "$WARMUP" >/dev/null; done

profiler() { # start|stop: async-profiler in every server, through the JVM's attach mechanism
  [ -n "${PROFILE_DIR:-}" ] || return 0
  for side in "${SIDES[@]}"; do
    [ "$side" = raw ] && continue
    local pid=${SIDE_PID[$side]}
    local opts="stop,file=$(realpath "$PROFILE_DIR")/$side.collapsed,collapsed"
    [ "$1" = start ] && opts="start,event=cpu,interval=997us"
    # the quotes keep jcmd from splitting the agent's options at '='
    jcmd "$pid" JVMTI.agent_load "$PROFILER_LIB" "\"$opts\"" >/dev/null
  done
}
if [ -n "${PROFILE_DIR:-}" ]; then
  mkdir -p "$PROFILE_DIR"
  log "fetching async-profiler"
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 -DoutputDirectory="$WORK" >&2
  unzip -qo "$WORK/async-profiler-4.1.jar" 'linux-x64/*' -d "$WORK/async-profiler"
  PROFILER_LIB=$WORK/async-profiler/linux-x64/libasyncProfiler.so
fi
profiler start
declare -A STRACE_PID=()
if [ -n "${STRACE_DIR:-}" ]; then
  command -v strace >/dev/null || { log "STRACE_DIR needs strace (apt-get install strace)"; exit 2; }
  mkdir -p "$STRACE_DIR"
  for side in "${SIDES[@]}"; do
    strace -c -f -o "$(realpath "$STRACE_DIR")/$side.strace" -p "${SIDE_PID[$side]}" 2>/dev/null &
    STRACE_PID[$side]=$!
    PIDS+=($!)
  done
  sleep 2 # strace attaches to each of the JVM's threads
fi
echo "shape: $SHAPE; access log $ACCESS_LOG in both servers${VARIANT:+; variant: the multi-tenant server with $VARIANT}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the rounds; tool $TOOL, auth $AUTH," \
  "$CONNECTIONS connections, ${SECONDS_PER_RUN}s per run, tenants=$TENANTS ($ISOLATION, $DIST), mix $MIX"
# initialized empty: under set -u bash 5 calls a declared array without elements unbound
VAR_RPS=() VAR_P50=() VAR_P99=() MT_RPS=() MT_P50=() MT_P99=() BASE_RPS=() BASE_P50=() BASE_P99=() ISO_RPS=() ISO_P50=() ISO_P99=() RAW_RPS=() RAW_P50=() RAW_P99=() NON2XX=()
MT_CPU=() BASE_CPU=() ISO_CPU=() RAW_CPU=() VAR_CPU=()
context_switches() { # pid: voluntary and involuntary context switches of all its threads so far
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {printf "%d", n}'
}
cpu_ticks() { # pid (all its threads) or pid/task/tid (one): user and system CPU so far, in clock ticks
  awk '{sub(/^.*\) /, ""); print $12 + $13}' /proc/"$1"/stat 2>/dev/null || echo 0
}
TICK_US=$(( 1000000 / $(getconf CLK_TCK) ))
thread_switches() { # pid: one line per thread, "tid name voluntary involuntary cpu-ticks"
  local task
  for task in /proc/"$1"/task/*; do
    awk -v tid="${task##*/}" -v ticks="$(cpu_ticks "$1/task/${task##*/}")" '/^Name:/ {sub(/^Name:[ \t]*/, ""); gsub(/ /, "_"); name = $0}
      /^voluntary_ctxt_switches/ {v = $2} /^nonvoluntary_ctxt_switches/ {n = $2}
      END {if (name != "") printf "%s %s %d %d %d\n", tid, name, v, n, ticks}' "$task/status" 2>/dev/null || true
  done
}
for round in $(seq 1 "$ROUNDS"); do
  for side in "${SIDES[@]}"; do
    switches_before=$(context_switches "${SIDE_PID[$side]}"); cpu_before=$(cpu_ticks "${SIDE_PID[$side]}")
    [ "${SWITCHES_BY_THREAD:-0}" = 1 ] && thread_switches "${SIDE_PID[$side]}" > "$WORK/threads.before"
    line=$(run_load "$(port_of $side)" "$SECONDS_PER_RUN")
    switches=$(( $(context_switches "${SIDE_PID[$side]}") - switches_before ))
    cpu_us=$(( ($(cpu_ticks "${SIDE_PID[$side]}") - cpu_before) * TICK_US ))
    if [ "${SWITCHES_BY_THREAD:-0}" = 1 ]; then # per thread name, this round's switches appended to the side's file
      thread_switches "${SIDE_PID[$side]}" | awk 'NR == FNR {v[$1] = $3; n[$1] = $4; c[$1] = $5; next}
        {printf "%s %d %d %d\n", $2, $3 - v[$1], $4 - n[$1], $5 - c[$1]}' "$WORK/threads.before" - >> "$WORK/threads.$side"
    fi
    rps=$(field rps "$line"); p50=$(field p50_ms "$line"); p99=$(field p99_ms "$line")
    bad=$(field non2xx "$line"); err=$(field errors "$line")
    cpu=$(awk -v c="$cpu_us" -v r="$rps" -v t="$SECONDS_PER_RUN" 'BEGIN {printf "%.1f", (r > 0 ? c / (r * t) : 0)}')
    printf "round %d %-12s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %s  socket errors %s  (load %s, %s context switches, %s µs CPU a request)\n" \
      "$round" "$(name_of $side)" "$rps" "$p50" "$p99" "$bad" "$err" \
      "$(cut -d' ' -f1 /proc/loadavg)" "$(awk -v s="$switches" -v r="$rps" -v t="$SECONDS_PER_RUN" 'BEGIN {printf "%.2f", (r > 0 ? s / (r * t) : 0)}')" "$cpu"
    NON2XX+=("$bad")
    case $side in
      mt) MT_RPS+=("$rps"); MT_P50+=("$p50"); MT_P99+=("$p99"); MT_CPU+=("$cpu") ;;
      iso) ISO_RPS+=("$rps"); ISO_P50+=("$p50"); ISO_P99+=("$p99"); ISO_CPU+=("$cpu") ;;
      raw) RAW_RPS+=("$rps"); RAW_P50+=("$p50"); RAW_P99+=("$p99"); RAW_CPU+=("$cpu") ;;
      var) VAR_RPS+=("$rps"); VAR_P50+=("$p50"); VAR_P99+=("$p99"); VAR_CPU+=("$cpu") ;;
      *) BASE_RPS+=("$rps"); BASE_P50+=("$p50"); BASE_P99+=("$p99"); BASE_CPU+=("$cpu") ;;
    esac
  done
done

profiler stop
syscalls_per_request() { # side requests: the side's strace summary, per request, the dearest calls first
  awk -v n="$2" -v side="$(name_of $1)" '
    $NF == "total" {printf "syscalls %-12s %7.2f per request (%d calls, %d requests):", side, $4 / n, $4, n}
    $1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {calls[$NF] = $4}
    END {m = 0; for (c in calls) order[++m] = c
         for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (calls[order[j]] > calls[order[i]]) {t = order[i]; order[i] = order[j]; order[j] = t}
         for (i = 1; i <= m && i <= 8; i++) printf " %s %.2f", order[i], calls[order[i]] / n
         printf "\n"}' "$STRACE_DIR/$1.strace"
}
if [ -n "${STRACE_DIR:-}" ]; then
  for side in "${SIDES[@]}"; do kill -INT "${STRACE_PID[$side]}" 2>/dev/null || true; done
  for side in "${SIDES[@]}"; do wait "${STRACE_PID[$side]}" 2>/dev/null || true; done
  for side in "${SIDES[@]}"; do
    case $side in
      mt) served=("${MT_RPS[@]}") ;; iso) served=("${ISO_RPS[@]}") ;; raw) served=("${RAW_RPS[@]}") ;;
      var) served=("${VAR_RPS[@]}") ;; *) served=("${BASE_RPS[@]}") ;;
    esac
    requests=$(printf '%s\n' "${served[@]}" | awk -v s="$SECONDS_PER_RUN" '{n += $1 * s} END {printf "%d", n}')
    syscalls_per_request "$side" "$requests"
  done
fi
if [ "${SWITCHES_BY_THREAD:-0}" = 1 ]; then
  for side in "${SIDES[@]}"; do
    case $side in
      mt) served=("${MT_RPS[@]}") ;; iso) served=("${ISO_RPS[@]}") ;; raw) served=("${RAW_RPS[@]}") ;;
      var) served=("${VAR_RPS[@]}") ;; *) served=("${BASE_RPS[@]}") ;;
    esac
    requests=$(printf '%s\n' "${served[@]}" | awk -v s="$SECONDS_PER_RUN" '{n += $1 * s} END {printf "%d", n}')
    awk -v n="$requests" -v side="$(name_of $side)" -v tick="$TICK_US" '{v[$1] += $2; i[$1] += $3; c[$1] += $4}
      END {for (t in v) if (v[t] + i[t] + c[t] > 0) printf "threads  %-12s %-18s %7.3f voluntary %7.3f involuntary switches %7.2f µs CPU a request\n", side, t, v[t] / n, i[t] / n, c[t] * tick / n}' \
      "$WORK/threads.$side" | sort -k9,9gr | head -12
  done
fi
non2xx_total=$(printf '%s\n' "${NON2XX[@]}" | awk '{s+=$1} END {print s+0}')
if [ "$non2xx_total" != 0 ]; then
  echo "WARNING: $non2xx_total non-2xx answers in the measured rounds (429s: the tenants' plan is lower than the offered load; see PLAN_RATE): the comparison is not like for like"
fi
mean() { printf '%s\n' "$@" | awk '{s+=$1} END {printf "%.3f", s/NR}'; }
mt_rps=$(mean "${MT_RPS[@]}"); base_rps=$(mean "${BASE_RPS[@]}")
mt_p50=$(mean "${MT_P50[@]}"); base_p50=$(mean "${BASE_P50[@]}")
mt_p99=$(mean "${MT_P99[@]}"); base_p99=$(mean "${BASE_P99[@]}")
printf "mean   %-12s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms\n" multi-tenant "$mt_rps" "$mt_p50" "$mt_p99"
printf "mean   %-12s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms\n" baseline "$base_rps" "$base_p50" "$base_p99"
if [ "$ABLATION" = 1 ]; then
  iso_rps=$(mean "${ISO_RPS[@]}"); iso_p50=$(mean "${ISO_P50[@]}"); iso_p99=$(mean "${ISO_P99[@]}")
  printf "mean   %-12s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms\n" shared-table "$iso_rps" "$iso_p50" "$iso_p99"
  awk -v a="$iso_rps" -v b="$base_rps" -v e="$iso_p99" -v f="$base_p99" \
    'BEGIN {printf "ratio  shared-table/baseline (PostgreSQL isolation work): throughput %.3f, p99 %.3f\n", a/b, e/f}'
  awk -v a="$mt_rps" -v b="$iso_rps" -v e="$mt_p99" -v f="$iso_p99" \
    'BEGIN {printf "ratio  multi-tenant/shared-table (server tenant machinery): throughput %.3f, p99 %.3f\n", a/b, e/f}'
fi
if [ ${#RAW_RPS[@]} -gt 0 ]; then
  raw_rps=$(mean "${RAW_RPS[@]}"); raw_p50=$(mean "${RAW_P50[@]}"); raw_p99=$(mean "${RAW_P99[@]}")
  printf "mean   %-12s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms\n" raw "$raw_rps" "$raw_p50" "$raw_p99"
  awk -v r="$raw_rps" -v b="$base_rps" -v m="$mt_rps" \
    'BEGIN {printf "ratio  raw / baseline / multi-tenant: 1 / %.3f / %.3f (throughput; the stack'"'"'s limit, the layers'"'"' cost)\n", b/r, m/r}'
fi
if [ ${#VAR_RPS[@]} -gt 0 ]; then
  var_rps=$(mean "${VAR_RPS[@]}"); var_p50=$(mean "${VAR_P50[@]}"); var_p99=$(mean "${VAR_P99[@]}")
  printf "mean   %-12s %9.1f req/s  p50 %7.2f ms  p99 %7.2f ms  (%s)\n" variant "$var_rps" "$var_p50" "$var_p99" "$VARIANT"
  awk -v a="$var_rps" -v b="$mt_rps" -v e="$var_p99" -v f="$mt_p99" -v flags="$VARIANT_FLAGS" -v jar="$VARIANT_JAR" \
    'BEGIN {printf "variant: throughput %+.1f%% p99 %+.1f%% flags=%s%s (variant vs multi-tenant, same run)\n", (a/b - 1) * 100, (e/f - 1) * 100, flags, (jar == "" ? "" : " jar=" jar)}'
fi
awk -v a="$mt_rps" -v b="$base_rps" -v c="$mt_p50" -v d="$base_p50" -v e="$mt_p99" -v f="$base_p99" \
  'BEGIN {printf "ratio  multi-tenant/baseline: throughput %.3f, p50 %.3f, p99 %.3f\n", a/b, c/d, e/f}'
mt_cpu=$(mean "${MT_CPU[@]}"); base_cpu=$(mean "${BASE_CPU[@]}")
awk -v a="$mt_cpu" -v b="$base_cpu" \
  'BEGIN {printf "cpu    server CPU a request (all threads, /proc): multi-tenant %.1f µs, baseline %.1f µs, ratio %.3f\n", a, b, a/b}'
for other in raw:RAW_CPU shared-table:ISO_CPU variant:VAR_CPU; do # the third and fourth servers, when they ran
  declare -n cpus=${other#*:}
  if [ ${#cpus[@]} -gt 0 ]; then echo "cpu    ${other%%:*} CPU a request: $(mean "${cpus[@]}") µs"; fi
  unset -n cpus
done
awk -v a="$mt_rps" -v b="$base_rps" -v e="$mt_p99" -v f="$base_p99" -v n="$TENANTS" \
  'BEGIN {printf "overhead: throughput %.1f%% p99 %.1f%% tenants=%d\n", (1 - a/b) * 100, (e/f - 1) * 100, n}'
