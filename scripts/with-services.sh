#!/usr/bin/env bash
# Runs a command with the project's real services started for it and stopped after it:
#   - a throw-away PostgreSQL cluster and a Redis server, both on 127.0.0.1,
#     on random free ports, in their own temporary directory;
#   - headless Chromium for browser tests (installed when missing, as root).
# The command sees DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, CHROMIUM_PATH and
# IPM_TEST_SERVICES=1. Several runs can go on at once on one machine: nothing is
# shared between them. Everything started here is stopped, and the temporary
# directory removed, on exit, whatever happens (success, failure, Ctrl-C).
#
# Usage: scripts/with-services.sh COMMAND [ARGS...]
#        (scripts/test.sh runs pytest with it; bench/run.sh the benchmarks)
# Env:   PG_BIN=/usr/lib/postgresql/15/bin      PostgreSQL binaries to use (default: newest found)
#        IPM_SKIP_BOOTSTRAP=1                   do not touch .venv / node_modules
#        IPM_PG_SHARED_BUFFERS=64MB             PostgreSQL shared_buffers (benchmarks use more)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[test] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- 1. System packages --------------------------------------------------------
# Directory holding initdb/pg_ctl: $PG_BIN, else the newest Debian install.
find_pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; fi
}

deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep 'install ok installed' >/dev/null; }
have_lib() { ldconfig -p 2>/dev/null | grep -F "$1" >/dev/null || deb_installed "$2"; }

missing=()
PG_BIN="$(find_pg_bin)"
{ [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; } || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
have_lib 'libpango-1.0.so.0' libpango-1.0-0 || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' libpangoft2-1.0-0 || missing+=(libpangoft2-1.0-0)
{ [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || deb_installed fonts-dejavu-core; } \
    || missing+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing missing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
        PG_BIN="$(find_pg_bin)"
    else
        log "missing system packages: ${missing[*]}"
        log "install them with:  sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
fi

# --- 2. Python and front-end dependencies ---------------------------------------
if [ -z "${IPM_SKIP_BOOTSTRAP:-}" ]; then
    "$ROOT/scripts/bootstrap.sh"
fi
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || die ".venv is missing: run scripts/bootstrap.sh"

# --- 3. Services -------------------------------------------------------------------
# PostgreSQL refuses to run as root: run its commands as the `postgres` user then.
if [ "$(id -u)" -eq 0 ]; then
    PG_USER="postgres"
    id "$PG_USER" >/dev/null 2>&1 || PG_USER="nobody"
    as_pg() { (cd "$TMP" && runuser -u "$PG_USER" -- "$@"); }
else
    as_pg() { "$@"; }
fi

# Stop the servers of one run's directory and remove it. The pid files are
# checked against the running processes, so a stale one never hits another process.
stop_services() {  # stop_services DIR
    local dir=$1 pid
    pid="$(cat "$dir/redis.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = redis-server ]; then
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    fi
    pid="$(head -n 1 "$dir/pgdata/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -F -- "$dir/pgdata" >/dev/null; then
        TMP="$dir" as_pg "$PG_BIN/pg_ctl" -D "$dir/pgdata" -m immediate -w -t 30 stop >/dev/null 2>&1
    fi
    rm -rf "$dir"
}

# Leftovers of runs that were killed outright (SIGKILL, machine crash) are
# cleaned up here: a run directory of ours whose owner process is gone.
for dir in "${TMPDIR:-/tmp}"/ipm-test.*; do
    if [ "$(id -u)" -eq 0 ]; then
        [ "$(stat -c %U "$dir" 2>/dev/null)" = "$PG_USER" ] || continue
    else
        [ -O "$dir" ] || continue
    fi
    [ -s "$dir/owner.pid" ] || continue
    kill -0 "$(cat "$dir/owner.pid")" 2>/dev/null && continue
    log "removing the leftovers of an interrupted run: $dir"
    ( set +e; stop_services "$dir" )
done

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ipm-test.XXXXXX")"
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    set +e
    stop_services "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
echo $$ >"$TMP/owner.pid"
PGDATA="$TMP/pgdata"
REDIS_PIDFILE="$TMP/redis.pid"
[ "$(id -u)" -ne 0 ] || chown "$PG_USER" "$TMP"

# A free TCP port on 127.0.0.1 (the kernel picks it; a retry covers the rare race).
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A UTF-8 locale, so that upper()/lower() and thus icontains work on accented letters.
PG_LOCALE="$(locale -a 2>/dev/null | grep -ixE 'c\.utf-?8|en_US\.utf-?8' | head -n 1 || true)"
if [ -n "$PG_LOCALE" ]; then locale_opts=(--locale="$PG_LOCALE"); else locale_opts=(--no-locale); fi

# PostgreSQL: superuser `ipm` / password `ipm`, password auth on TCP, trust on the socket.
echo ipm >"$TMP/pwfile"
[ "$(id -u)" -ne 0 ] || chown "$PG_USER" "$TMP/pwfile"
as_pg "$PG_BIN/initdb" -D "$PGDATA" -U ipm --pwfile="$TMP/pwfile" -E UTF8 "${locale_opts[@]}" \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$TMP/initdb.log" 2>&1 \
    || { cat "$TMP/initdb.log" >&2; die "initdb failed"; }
cat >>"$PGDATA/postgresql.conf" <<EOF

# --- scripts/test.sh: throw-away test cluster, speed over durability ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = ${IPM_PG_SHARED_BUFFERS:-64MB}
dynamic_shared_memory_type = mmap
max_connections = 200
EOF

for attempt in 1 2 3; do
    PG_PORT="$(free_port)"
    if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -o "-p $PG_PORT" -l "$TMP/postgres.log" -w -t 60 start >/dev/null; then
        break
    fi
    [ "$attempt" -lt 3 ] || { tail -n 30 "$TMP/postgres.log" >&2; die "PostgreSQL did not start"; }
    log "PostgreSQL could not use port $PG_PORT; retrying"
done
as_pg "$PG_BIN/createdb" -h "$TMP" -p "$PG_PORT" -U ipm ipm

# Redis: no persistence, loopback only, daemonised with a pid file for cleanup.
# It writes its pid file only once it listens, so "pid file + port answers" = up.
redis_up() {
    [ -s "$REDIS_PIDFILE" ] && kill -0 "$(cat "$REDIS_PIDFILE")" 2>/dev/null \
        && "$PY" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
            "$REDIS_PORT" 2>/dev/null
}
for attempt in 1 2 3; do
    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --dir "$TMP" --pidfile "$REDIS_PIDFILE" --logfile "$TMP/redis.log" || true
    for _ in $(seq 50); do redis_up && break; sleep 0.1; done
    redis_up && break
    [ "$attempt" -lt 3 ] || { tail -n 30 "$TMP/redis.log" >&2; die "Redis did not start"; }
    log "Redis could not use port $REDIS_PORT; retrying"
done

export DATABASE_URL="postgres://ipm:ipm@127.0.0.1:$PG_PORT/ipm"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export REDIS_URL="$CELERY_BROKER_URL"
CHROMIUM_PATH="$(command -v chromium || true)"
export CHROMIUM_PATH
export IPM_TEST_SERVICES=1
log "services up: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT," \
    "Redis on 127.0.0.1:$REDIS_PORT, Chromium ${CHROMIUM_PATH:-missing} (tmp: $TMP)"

# --- 4. The command -------------------------------------------------------------------
# It runs as a child we wait for, so that a signal sent to this script alone
# (e.g. a CI job being cancelled) reaches it too instead of waiting for it.
# It is started with SIGINT restored (a background child would ignore it) and
# with our stdin (for --pdb), and it stays in our process group, so Ctrl-C in a
# terminal reaches it directly (pytest then prints its usual summary).
stop_child() {
    local code=$1
    trap - INT TERM HUP
    if [ "$code" -eq 130 ]; then
        # SIGINT: a Ctrl-C already reached pytest; give it time to finish cleanly.
        for _ in $(seq 100); do kill -0 "$CHILD_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
    exit "$code"
}
[ "$#" -gt 0 ] || die "usage: scripts/with-services.sh COMMAND [ARGS...]"
"$PY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@" <&0 &
CHILD_PID=$!
trap 'stop_child 130' INT
trap 'stop_child 143' TERM
trap 'stop_child 129' HUP
set +e
wait "$CHILD_PID"
rc=$?
set -e
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
exit "$rc"
