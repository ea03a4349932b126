#!/usr/bin/env bash
# Streaming a large file through the file API (docs/storage.md), local backend: one server (java -jar
# target/tenantry.jar serve, with a small heap), one tenant; uploads a SIZE_MIB file with curl (PUT, Content-Length),
# downloads it back, checks its SHA-256, and compares both with copying the same bytes with `cat` on the same disk
# (cat + sync, as the upload fsyncs). The server's heap is sampled with jstat every second during each transfer and
# shown with jcmd GC.heap_info before and after; cat runs three times (the median counts), the download is timed up
# to its sync like cat's copy, then once more into /dev/null (the server's pace without the client's disk), and the
# server's CPU time per GiB is read from /proc. Prints one line at the end:
#   storage-stream: upload X MiB/s (Y% of cat) download Z MiB/s (W% of cat; to /dev/null N MiB/s)
#     server CPU per GiB: upload U s, download D s; heap max used H MiB (Xmx M)
#
#   load-tests/storage-stream.sh [SIZE_MIB=2048]
# Environment: DIR (where the data directory and the files go, one disk: target/storage-stream), JAVA_OPTS
#   (-Xms256m -Xmx256m), PG_ADMIN, REDIS_URL, PORT (18095), KEEP=1 keeps the files and the database,
#   PROFILER_LIB (async-profiler's libasyncProfiler.so: CPU profiles of the upload and the download, kept with KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-${SIZE_MIB:-2048}}
DIR=${DIR:-$PWD/target/storage-stream}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
PORT=${PORT:-18095}
DB=tenantry_streambench
ADMIN_EMAIL=stream-admin@tenantry.local
ADMIN_PASSWORD=stream-admin-password
JAR=${JAR:-target/tenantry.jar}
BASE=http://127.0.0.1:$PORT
PID=
SAMPLER=

log() { echo "== $*" >&2; }
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$DIR"
    psql -h 127.0.0.1 -U postgres -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
[ -f "$JAR" ] || { log "building $JAR"; mvn -q -B -Dstyle.color=never -DskipTests -Dlint.skip=true package >&2; }
rm -rf "$DIR/data" && mkdir -p "$DIR/data"
psql -h 127.0.0.1 -U postgres -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null

if [ "$(stat -c %s "$DIR/source.bin" 2>/dev/null || echo 0)" != $((SIZE_MIB * 1048576)) ]; then
  log "writing a ${SIZE_MIB} MiB file of random bytes"
  head -c $((SIZE_MIB * 1048576)) /dev/urandom > "$DIR/source.bin"
fi
sum=$(sha256sum "$DIR/source.bin" | cut -d' ' -f1)
bytes=$((SIZE_MIB * 1048576))

secs() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
now() { date +%s.%N; }

log "cat to the same disk (and sync), three times: the median counts (the disk's writeback varies run to run)"
cat_runs=()
for _ in 1 2 3; do
  t0=$(now); cat "$DIR/source.bin" > "$DIR/cat-copy.bin"; sync "$DIR/cat-copy.bin"; t1=$(now)
  cat_runs+=("$(python3 -c "print($t1 - $t0)")")
  rm -f "$DIR/cat-copy.bin"
done
cat_write=$(printf '%s\n' "${cat_runs[@]}" | sort -g | sed -n 2p)

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$DIR/jwt-private.pem" 2>/dev/null
openssl pkey -in "$DIR/jwt-private.pem" -pubout -out "$DIR/jwt-public.pem"
log "starting the server (:$PORT, data in $DIR/data, $JAVA_OPTS)"
java $JAVA_OPTS -jar "$JAR" serve --http.host=127.0.0.1 --http.port="$PORT" --http.access-log=false \
  --db.connect-timeout-ms=30000 --db.admin-url="$PG_ADMIN" --db.name=$DB --redis.url="$REDIS_URL" --redis.key-prefix="tenantry-stream:" \
  --data-dir="$DIR/data" --auth.password-iterations=10000 \
  --auth.jwt-private-key-file="$DIR/jwt-private.pem" --auth.jwt-public-key-file="$DIR/jwt-public.pem" \
  --admin.email=$ADMIN_EMAIL --admin.password=$ADMIN_PASSWORD >"$DIR/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do
  curl -sf "$BASE/health/live" >/dev/null && break
  kill -0 "$PID" 2>/dev/null || { tail -20 "$DIR/server.log" >&2; exit 1; }
  sleep 0.5
done
token() { curl -sf -X POST "$BASE/auth/token" -H 'Content-Type: application/json' -d "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
admin=$(token "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}")
curl -sf -X POST "$BASE/admin/v1/tenants" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"slug":"stream","name":"Stream"}' >/dev/null
curl -sf -X POST "$BASE/admin/v1/tenants/stream/users" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"email":"m@stream.test","password":"password-of-m@stream.test","role":"member"}' >/dev/null
member=$(token '{"email":"m@stream.test","password":"password-of-m@stream.test","tenant":"stream"}')

heap() { jcmd "$PID" GC.heap_info | sed -n '2,3p' >&2; }
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; } # the server's user + system time, in clock ticks
sample() { # prints the largest heap used (KiB) jstat saw while it ran
  jstat -gc "$PID" 1000 | awk 'NR>1 { u = $3 + $4 + $6 + $8; if (u > m) m = u; print m > "/dev/stderr" }' 2>"$DIR/heap.$1" &
  SAMPLER=$!
}
stop_sample() { kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=; tail -1 "$DIR/heap.$1"; }

log "heap before"; heap
profile() { # PROFILER_LIB=.../libasyncProfiler.so: CPU profile of each transfer into $DIR/<name>.collapsed
  [ -n "${PROFILER_LIB:-}" ] || return 0
  local opts="start,event=cpu,interval=997us"
  [ "$1" = stop ] && opts="stop,file=$DIR/$2.collapsed,collapsed"
  jcmd "$PID" JVMTI.agent_load "$PROFILER_LIB" "\"$opts\"" >/dev/null
}
sample up
profile start
c0=$(cpu)
t_up=$(curl -sf -T "$DIR/source.bin" -H "Authorization: Bearer $member" -H 'Content-Type: application/octet-stream' \
  -o "$DIR/put.json" -w '%{time_total}' "$BASE/api/v1/files/big.bin")
up_heap=$(stop_sample up)
c1=$(cpu)
profile stop upload
grep -q "$sum" "$DIR/put.json" || { log "the server's SHA-256 is not the file's"; cat "$DIR/put.json" >&2; exit 1; }
log "heap after the upload"; heap
sample down
profile start
c2=$(cpu); t0=$(now)
curl -sf -H "Authorization: Bearer $member" -o "$DIR/download.bin" "$BASE/api/v1/files/big.bin"
sync "$DIR/download.bin" # like cat's copy: the bytes on the disk
t1=$(now); c3=$(cpu)
profile stop download
t_down=$(python3 -c "print($t1 - $t0)")
down_heap=$(stop_sample down)
# the server's own pace, without the client's disk
t_null=$(curl -sf -H "Authorization: Bearer $member" -o /dev/null -w '%{time_total}' "$BASE/api/v1/files/big.bin")
[ "$(sha256sum "$DIR/download.bin" | cut -d' ' -f1)" = "$sum" ] || { log "the download differs"; exit 1; }
log "heap after the download"; heap

python3 - "$bytes" "$cat_write" "$t_up" "$t_down" "$up_heap" "$down_heap" "$JAVA_OPTS" "$t_null" \
  "$((c1 - c0))" "$((c3 - c2))" "$(getconf CLK_TCK)" "${cat_runs[*]}" <<'PY'
import sys, re
b, cat, up, down = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
heap = max(float(sys.argv[5] or 0), float(sys.argv[6] or 0)) / 1024
null, tick = float(sys.argv[8]), float(sys.argv[11])
mib = b / 1048576
gib = mib / 1024
cpu_up, cpu_down = int(sys.argv[9]) / tick / gib, int(sys.argv[10]) / tick / gib
xmx = (re.search(r"-Xmx(\S+)", sys.argv[7]) or [None, "?"])[1]
cats = ", ".join(f"{mib/float(c):.0f}" for c in sys.argv[12].split())
print(f"cat+sync {mib/cat:.0f} MiB/s (median of {cats}); upload {up:.1f} s; download {down:.1f} s (to /dev/null {null:.1f} s)",
      file=sys.stderr)
print(f"storage-stream: upload {mib/up:.0f} MiB/s ({100*cat/up:.0f}% of cat) download {mib/down:.0f} MiB/s "
      f"({100*cat/down:.0f}% of cat; to /dev/null {mib/null:.0f} MiB/s) server CPU per GiB: upload {cpu_up:.2f} s, "
      f"download {cpu_down:.2f} s; heap max used {heap:.0f} MiB (Xmx {xmx})")
PY
