#!/usr/bin/env bash
# Fleet-migration benchmark: N schema-tier tenants migrated from empty, then a no-op run over them.
#   load-tests/migrate-benchmark.sh [N=1000] [PARALLELISM=4]
# Needs the local PostgreSQL (admin postgres@127.0.0.1:5432, trust auth) and a built target/tenantry.jar.
# Uses its own database (tenantry_migbench) and drops it, with its roles and schemas, at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
PARALLELISM=${2:-4}
DB=tenantry_migbench
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
JAR=target/tenantry.jar
[ -f "$JAR" ] || mvn -q -B -DskipTests package

cleanup() {
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS ${DB}_owner" -c "DROP ROLE IF EXISTS ${DB}_app" >/dev/null
}
cleanup
trap cleanup EXIT

run() { java -jar "$JAR" migrate --db.name=$DB --migrate.parallelism="$PARALLELISM" 2>/dev/null | grep '^tenants:'; }

echo "== platform schema only"
run
echo "== inserting $N schema-tier tenants without schemas (as if provisioning had not run yet)"
$PSQL -d $DB -c "INSERT INTO platform.tenants (id, slug, name, status, isolation)
  SELECT gen_random_uuid(), 'bench-' || i, 'Bench ' || i, 'provisioning', 'schema' FROM generate_series(1, $N) i"

echo "== from empty: $N tenants, parallelism $PARALLELISM"
start=$(date +%s%N); run; end=$(date +%s%N)
echo "wall time: $(( (end - start) / 1000000 )) ms"
echo "schemas: $($PSQL -d $DB -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\_%'")"

echo "== no-op run over the same $N tenants"
start=$(date +%s%N); run; end=$(date +%s%N)
echo "wall time: $(( (end - start) / 1000000 )) ms"
