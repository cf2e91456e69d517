#!/usr/bin/env bash
# Start a throw-away PostgreSQL for the tests and print the line that points them at it.
#
#   eval "$(bash .ci/postgres.sh)"          # start; sets JOBAID_TEST_PG_DSN and JOBAID_TEST_PG_DATA
#   bash .ci/postgres.sh stop "$JOBAID_TEST_PG_DATA"   # stop it and remove its files
#
# Installs Debian's postgresql if no server binaries are found, creates a cluster in a temp dir
# (as the postgres user when run as root: initdb refuses root), listens on 127.0.0.1 only, creates
# user and database `jobaid`. Only the `export` lines go to stdout; progress goes to stderr.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

as_owner() {
    # Run a command as the cluster's owner: postgres when we are root, ourselves otherwise.
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [[ "${1:-}" == "stop" ]]; then
    data="${2:-${JOBAID_TEST_PG_DATA:-}}"
    [[ -n "$data" && -d "$data" ]] || { log "no cluster folder given"; exit 1; }
    bin=$(pg_bindir)
    as_owner "$bin/pg_ctl" -D "$data/db" -m fast -w stop >&2 || true
    rm -rf "$data"
    exit 0
fi

bin=$(pg_bindir)
if [[ -z "$bin" ]]; then
    log "installing postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends postgresql >&2
    bin=$(pg_bindir)
fi
[[ -n "$bin" ]] || { log "no PostgreSQL server binaries found"; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d "${TMPDIR:-/tmp}/jobaid-pg.XXXXXX")
chmod 755 "$data"
if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$data"
fi

log "initdb in $data/db (server binaries: $bin)"
as_owner "$bin/initdb" -D "$data/db" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >&2 2>&1 \
    || as_owner "$bin/initdb" -D "$data/db" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >&2
as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off" start >&2

psql_admin() { as_owner "$bin/psql" -h "$data" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql_admin -d postgres -c "CREATE ROLE jobaid LOGIN PASSWORD 'jobaid'" >&2
psql_admin -d postgres -c "CREATE DATABASE jobaid OWNER jobaid" >&2

log "PostgreSQL on 127.0.0.1:$port; stop with: bash .ci/postgres.sh stop $data"
echo "export JOBAID_TEST_PG_DSN=postgresql://jobaid:jobaid@127.0.0.1:$port/jobaid"
echo "export JOBAID_TEST_PG_DATA=$data"
