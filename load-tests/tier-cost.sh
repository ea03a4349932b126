#!/usr/bin/env bash
# What PostgreSQL pays per request for each way of isolating tenants (pgbench, prepared statements, as the
# runtime role, a primary-key read inside BEGIN; set_config(...,true); SELECT; COMMIT like TenantDb does):
#   plain   - a table without RLS (the single-tenant baseline)
#   shared  - shared.records with forced RLS (shared tier)
#   schema  - "t_<id>".records, one table per tenant, schema-qualified (schema tier; RLS kept on)
# Each variant spreads its transactions over TENANTS tenants (one pgbench script per tenant, so each connection
# holds that many prepared statements, like the server's statement cache). Rounds alternate the variants.
#   load-tests/tier-cost.sh [TENANTS=100] [SECONDS=15] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
TENANTS=${1:-100}
SECONDS_PER_RUN=${2:-15}
ROUNDS=${3:-3}
DB=tenantry_tiercost
APP=${DB}_app
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt"
JAR=target/tenantry.jar
[ -f "$JAR" ] || mvn -q -B -DskipTests package
WORK=$(mktemp -d)

cleanup() {
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS ${DB}_owner" -c "DROP ROLE IF EXISTS $APP" >/dev/null
  rm -rf "$WORK"
}
cleanup
WORK=$(mktemp -d)
trap cleanup EXIT

java -jar "$JAR" migrate --db.name=$DB >/dev/null 2>&1
$PSQL -d $DB -c "INSERT INTO platform.tenants (id, slug, name, status, isolation)
  SELECT gen_random_uuid(), 'sh-' || i, 'S' || i, 'active', 'shared' FROM generate_series(1, $TENANTS) i
  UNION ALL SELECT gen_random_uuid(), 'sc-' || i, 'C' || i, 'provisioning', 'schema' FROM generate_series(1, $TENANTS) i"
java -jar "$JAR" migrate --db.name=$DB >/dev/null 2>&1
# 100 records per tenant in each variant; ids are 1..100 mapped to uuids by md5 so scripts can name them.
$PSQL -d $DB <<SQL
CREATE SCHEMA bench;
CREATE TABLE bench.plain_records (collection text, id uuid, version bigint, data jsonb, created_at timestamptz,
  updated_at timestamptz, PRIMARY KEY (collection, id));
INSERT INTO bench.plain_records SELECT 'notes', md5('plain' || r)::uuid, 1, jsonb_build_object('n', r), now(), now()
  FROM generate_series(1, 100 * $TENANTS) r;
GRANT USAGE ON SCHEMA bench TO $APP;
GRANT SELECT ON bench.plain_records TO $APP;
INSERT INTO shared.records (tenant_id, collection, id, data)
  SELECT t.id, 'notes', md5(t.id::text || r)::uuid, jsonb_build_object('n', r)
  FROM platform.tenants t, generate_series(1, 100) r WHERE t.isolation = 'shared';
DO \$\$ DECLARE t record; BEGIN
  FOR t IN SELECT id FROM platform.tenants WHERE isolation = 'schema' LOOP
    EXECUTE format('INSERT INTO %I.records (tenant_id, collection, id, data) SELECT %L, ''notes'', md5(%L || r)::uuid, '
      || 'jsonb_build_object(''n'', r) FROM generate_series(1, 100) r', 't_' || replace(t.id::text, '-', ''), t.id, t.id::text);
  END LOOP; END \$\$;
ANALYZE;
SQL

i=0
for id in $($PSQL -d $DB -c "SELECT id FROM platform.tenants WHERE isolation = 'shared' ORDER BY slug"); do
  i=$((i + 1))
  cat > "$WORK/shared-$i.sql" <<SQL
\\set r random(1, 100)
BEGIN;
SELECT set_config('app.tenant_id', '$id', true);
SELECT id, version, data FROM shared.records WHERE tenant_id = '$id' AND collection = 'notes' AND id = md5('$id' || :r)::uuid;
COMMIT;
SQL
  cat > "$WORK/plain-$i.sql" <<SQL
\\set r random(1, 100)
BEGIN;
SELECT set_config('app.unused', '$id', true);
SELECT id, version, data FROM bench.plain_records WHERE collection = 'notes' AND id = md5('plain' || ($i * 100 + :r - 100))::uuid;
COMMIT;
SQL
done
i=0
for id in $($PSQL -d $DB -c "SELECT id FROM platform.tenants WHERE isolation = 'schema' ORDER BY slug"); do
  i=$((i + 1))
  schema="t_${id//-/}"
  cat > "$WORK/schema-$i.sql" <<SQL
\\set r random(1, 100)
BEGIN;
SELECT set_config('app.tenant_id', '$id', true);
SELECT id, version, data FROM "$schema".records WHERE tenant_id = '$id' AND collection = 'notes' AND id = md5('$id' || :r)::uuid;
COMMIT;
SQL
done

bench() {
  local args=()
  for f in "$WORK/$1"-*.sql; do args+=(-f "$f"); done
  pgbench -h 127.0.0.1 -U "$APP" -n -M prepared -c 4 -j 2 -T "$SECONDS_PER_RUN" "${args[@]}" $DB 2>/dev/null \
    | awk '/^tps/ {print int($3)}'
}

declare -A total
for round in $(seq 1 "$ROUNDS"); do
  for variant in plain shared schema; do
    tps=$(bench $variant)
    total[$variant]=$(( ${total[$variant]:-0} + tps ))
    echo "round $round $variant: $tps tps"
  done
done
for variant in plain shared schema; do
  avg=$(( total[$variant] / ROUNDS ))
  echo "mean $variant: $avg tps ($(( avg * 100 / (total[plain] / ROUNDS) ))% of plain)"
done
