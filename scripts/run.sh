#!/usr/bin/env bash
# THE run command (`make run` calls it): the whole application on this machine,
# with no server to install. With no environment variables set, the settings use
# SQLite and Celery's embedded filesystem broker (both under var/).
#   1. installs dependencies (scripts/bootstrap.sh)
#   2. migrates the database and loads the demo data (idempotent)
#   3. starts the web server, the Celery worker and Celery beat together;
#      Ctrl-C (or any of them stopping) stops all three.
#
# Usage: scripts/run.sh          or  make run
# Env:   PORT=8000               port of the web server (on 127.0.0.1)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-8000}"
LOG_DIR="$ROOT/var/log"
log() { printf '[run] %s\n' "$*" >&2; }

"$ROOT/scripts/bootstrap.sh"
PY="$ROOT/.venv/bin/python"
CELERY="$ROOT/.venv/bin/celery"
mkdir -p "$LOG_DIR"

if ! "$PY" -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$PORT" 2>/dev/null; then
    log "port $PORT on 127.0.0.1 is already in use: stop what uses it, or choose another, e.g. PORT=8001 make run"
    exit 1
fi

log "migrating the database"
"$PY" manage.py migrate --noinput
log "loading the demo data"
"$PY" manage.py seed_demo

# --- Start the three processes ---------------------------------------------------
# Each one runs in its own session (setsid), so that stopping it also stops its
# children (runserver's autoreloader, the worker's pool) and so that Ctrl-C
# reaches this script only, which then stops them in order.
PIDS=()
start() {  # start NAME COMMAND...
    local name=$1; shift
    if command -v setsid >/dev/null 2>&1; then
        setsid "$@" &
    else
        "$@" &
    fi
    PIDS+=("$!")
    log "started $name (pid $!)"
}

stop_all() {
    local rc=$?
    trap - EXIT INT TERM HUP
    set +e
    [ "${#PIDS[@]}" -gt 0 ] || exit "$rc"
    log "stopping the web server, the worker and beat"
    # Ask each main process to stop (the worker finishes its current task and
    # stops its pool), give them up to 10 s, then clear what is left of their
    # process groups (e.g. runserver's reloaded child).
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for _ in $(seq 100); do
        alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" -eq 1 ] || break
        sleep 0.1
    done
    for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
    sleep 0.5
    for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; done
    wait 2>/dev/null
    exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

start "Celery worker (log: var/log/worker.log)" \
    "$CELERY" -A config worker --loglevel=info --concurrency=2 >>"$LOG_DIR/worker.log" 2>&1
start "Celery beat (log: var/log/beat.log)" \
    "$CELERY" -A config beat --loglevel=info --schedule "$ROOT/var/celerybeat-schedule" >>"$LOG_DIR/beat.log" 2>&1
start "web server" \
    "$PY" manage.py runserver "127.0.0.1:$PORT"

# --- Tell the user where to go -------------------------------------------------------
sleep 2
cat >&2 <<EOF

================================================================================
  Ipm is running at  http://127.0.0.1:$PORT/
  Worker and beat logs: var/log/worker.log, var/log/beat.log
  Press Ctrl-C to stop everything.

  Demo logins:
EOF
"$PY" manage.py seed_demo --print-logins >&2 \
    || log "(could not list the demo logins: manage.py seed_demo --print-logins failed)"
printf '%s\n\n' "================================================================================" >&2

# Run until Ctrl-C or until one of the three stops (then stop the others too).
set +e
wait -n
rc=$?
set -e
log "a process stopped on its own (exit code $rc); shutting down the others"
[ "$rc" -ne 0 ] || rc=1
exit "$rc"
