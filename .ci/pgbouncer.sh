#!/usr/bin/env bash
# Starts a PgBouncer (Debian's package) in transaction mode in front of the local PostgreSQL, on 127.0.0.1:6432,
# with its own configuration under /tmp/tenantry-pgbouncer. Idempotent: does nothing when one already answers.
# Any role may connect: PgBouncer looks roles up in PostgreSQL (auth_query, as postgres) and trusts them, as the
# local PostgreSQL (trust) does; tests reach it through TENANTRY_TEST_PGBOUNCER_PORT (default 6432).
set -euo pipefail
DIR=/tmp/tenantry-pgbouncer
PORT=${TENANTRY_TEST_PGBOUNCER_PORT:-6432}
command -v pgbouncer >/dev/null || { echo "pgbouncer is not installed" >&2; exit 1; }
if pg_isready -h 127.0.0.1 -p "$PORT" -q 2>/dev/null; then exit 0; fi
mkdir -p "$DIR"
echo '"postgres" ""' > "$DIR/userlist.txt"
cat > "$DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
auth_user = postgres
auth_query = SELECT rolname, NULL::text FROM pg_catalog.pg_roles WHERE rolname = \$1 AND rolcanlogin
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
server_reset_query =
ignore_startup_parameters = extra_float_digits,options,statement_timeout,idle_in_transaction_session_timeout
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
chown -R postgres "$DIR" 2>/dev/null || true
if [ "$(id -u)" = 0 ]; then
  su postgres -s /bin/sh -c "pgbouncer -d $DIR/pgbouncer.ini"
else
  pgbouncer -d "$DIR/pgbouncer.ini"
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$PORT" -q && exit 0; sleep 0.5; done
echo "PgBouncer did not come up (see $DIR/pgbouncer.log)" >&2; exit 1
