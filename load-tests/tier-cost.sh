#!/usr/bin/env bash
# What PostgreSQL pays per request for each way of isolating tenants: pgbench as the runtime role, prepared
# statements, 2 clients, a primary-key read written the way the server writes it (db.tenant-context: statement —
# one statement that sets its own transaction-local context), PostgreSQL's own CPU per read measured from /proc
# (load-tests/pgbench-cpu.py). Variants, from the single-tenant baseline to the tiers:
#   plain          - a table without tenant_id or RLS (the single-tenant baseline's statement)
#   keyed          - the shared table's shape (tenant_id leading the key), no RLS, no context: the cost of the key
#   keyed+context  - the same with the statement's context InitPlan: the cost of set_config(..., true)
#   shared         - shared.records, forced RLS, context in the statement: the shared tier as served
#   schema         - "t_<id>".records, one table per tenant, schema-qualified, RLS kept on: the schema tier
# Each variant spreads its reads over TENANTS tenants (one pgbench script per tenant, so each connection holds
# that many prepared statements, like the server's statement cache). Rounds alternate the variants.
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
CREATE TABLE bench.keyed_records (LIKE shared.records INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE bench.keyed_records ADD PRIMARY KEY (tenant_id, collection, id);
GRANT SELECT ON bench.plain_records, bench.keyed_records TO $APP;
INSERT INTO shared.records (tenant_id, collection, id, data)
  SELECT t.id, 'notes', md5(t.id::text || r)::uuid, jsonb_build_object('n', r)
  FROM platform.tenants t, generate_series(1, 100) r WHERE t.isolation = 'shared';
DO \$\$ DECLARE t record; BEGIN
  FOR t IN SELECT id FROM platform.tenants WHERE isolation = 'schema' LOOP
    EXECUTE format('INSERT INTO %I.records (tenant_id, collection, id, data) SELECT %L, ''notes'', md5(%L || r)::uuid, '
      || 'jsonb_build_object(''n'', r) FROM generate_series(1, 100) r', 't_' || replace(t.id::text, '-', ''), t.id, t.id::text);
  END LOOP; END \$\$;
INSERT INTO bench.keyed_records SELECT * FROM shared.records;
ANALYZE;
SQL

i=0
CONTEXT_OF() { echo "(SELECT set_config('app.tenant_id', '$1'::uuid::text, true)) IS NOT NULL"; }
for id in $($PSQL -d $DB -c "SELECT id FROM platform.tenants WHERE isolation = 'shared' ORDER BY slug"); do
  i=$((i + 1))
  key="tenant_id = '$id' AND collection = 'notes' AND id = md5('$id' || :r)::uuid"
  printf '\\set r random(1, 100)\nSELECT id, version, data FROM bench.plain_records WHERE collection = %s AND id = md5(%s || (%s * 100 + :r - 100))::uuid;\n' \
    "'notes'" "'plain'" "$i" > "$WORK/plain-$i.sql"
  printf '\\set r random(1, 100)\nSELECT id, version, data FROM bench.keyed_records WHERE %s;\n' "$key" > "$WORK/keyed-$i.sql"
  printf '\\set r random(1, 100)\nSELECT id, version, data FROM bench.keyed_records WHERE %s AND %s;\n' "$key" "$(CONTEXT_OF "$id")" \
    > "$WORK/keyed+context-$i.sql"
  printf '\\set r random(1, 100)\nSELECT id, version, data FROM shared.records WHERE %s AND %s;\n' "$key" "$(CONTEXT_OF "$id")" \
    > "$WORK/shared-$i.sql"
done
i=0
for id in $($PSQL -d $DB -c "SELECT id FROM platform.tenants WHERE isolation = 'schema' ORDER BY slug"); do
  i=$((i + 1))
  schema="t_${id//-/}"
  printf '\\set r random(1, 100)\nSELECT id, version, data FROM "%s".records WHERE tenant_id = %s AND collection = %s AND id = md5(%s || :r)::uuid AND %s;\n' \
    "$schema" "'$id'" "'notes'" "'$id'" "$(CONTEXT_OF "$id")" > "$WORK/schema-$i.sql"
done

VARIANTS=(plain keyed keyed+context shared schema)
bench() { # variant -> "tps N  pg_us_per_tx U"
  local args=()
  for f in "$WORK/$1"-*.sql; do args+=(-f "$f"); done
  load-tests/pgbench-cpu.py "$SECONDS_PER_RUN" "$APP" $DB -- -M prepared -c 2 -j 1 "${args[@]}"
}

declare -A tps_sum us_sum
for round in $(seq 1 "$ROUNDS"); do
  for variant in "${VARIANTS[@]}"; do
    line=$(bench "$variant")
    echo "round $round $variant: $line"
    tps_sum[$variant]=$(awk -v a="${tps_sum[$variant]:-0}" -v b="$(awk '{print $2}' <<<"$line")" 'BEGIN {print a + b}')
    us_sum[$variant]=$(awk -v a="${us_sum[$variant]:-0}" -v b="$(awk '{print $4}' <<<"$line")" 'BEGIN {print a + b}')
  done
done
plain_us=$(awk -v s="${us_sum[plain]}" -v n="$ROUNDS" 'BEGIN {print s / n}')
for variant in "${VARIANTS[@]}"; do
  awk -v v="$variant" -v t="${tps_sum[$variant]}" -v u="${us_sum[$variant]}" -v n="$ROUNDS" -v p="$plain_us" \
    'BEGIN {printf "mean %-14s %7.0f tps  PostgreSQL %5.1f us per read (%+5.1f us against plain)\n", v, t / n, u / n, u / n - p}'
done
