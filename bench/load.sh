#!/usr/bin/env bash
# Load test: gunicorn + PostgreSQL + Redis on 127.0.0.1 (scripts/with-services.sh), 50 simulated users
# (counsellors, platform staff, managers) for two minutes, then everything stops by itself.
#   bench/load.sh                          # generates 200,000 young people first (about 5 minutes)
#   IPM_LOAD_YOUTHS=20000 bench/load.sh    # smaller data set
#   IPM_LOAD_USERS=50 IPM_LOAD_TIME=2m IPM_LOAD_RATE=1 IPM_LOAD_WORKERS=4 bench/load.sh   (RATE: users started a second)
# Needs the optional extra: .venv/bin/pip install -e '.[bench]'. Results: var/bench/load_*.csv and the
# summary printed by locust. Exit status non-zero when any request failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${DATABASE_URL:-}" ]; then
    export IPM_PG_SHARED_BUFFERS="${IPM_PG_SHARED_BUFFERS:-512MB}"
    exec scripts/with-services.sh "$0" "$@"
fi
PY="$ROOT/.venv/bin/python"
[ -x "$ROOT/.venv/bin/locust" ] || { echo "locust is missing: .venv/bin/pip install -e '.[bench]'" >&2; exit 1; }
OUT="$ROOT/var/bench"; mkdir -p "$OUT"
"$PY" manage.py migrate -v0
have="$("$PY" manage.py shell -c 'from dossiers.models import Youth; print(Youth.objects.count())' 2>/dev/null | tail -n 1)"
if [ "${have:-0}" -lt "${IPM_LOAD_YOUTHS:-200000}" ]; then
    "$PY" manage.py generate_data --youths "${IPM_LOAD_YOUTHS:-200000}"
fi
"$PY" bench/bench.py --pg-settings-only
"$PY" bench/load_setup.py "$OUT/load_accounts.json" --users "${IPM_LOAD_USERS:-50}"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# Second factor required as in production. DEBUG stays on: with it off the session cookie is "secure"
# (HTTPS only) and the load test speaks plain HTTP on loopback.
export IPM_REQUIRE_2FA=true ALLOWED_HOSTS=127.0.0.1 AXES_FAILURE_LIMIT=1000
"$ROOT/.venv/bin/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers "${IPM_LOAD_WORKERS:-4}" \
    --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 100); do "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/comptes/login/')" 2>/dev/null && break; sleep 0.2; done
IPM_LOAD_ACCOUNTS="$OUT/load_accounts.json" "$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless \
    --host "http://127.0.0.1:$PORT" -u "${IPM_LOAD_USERS:-50}" -r "${IPM_LOAD_RATE:-1}" -t "${IPM_LOAD_TIME:-2m}" --stop-timeout 10 \
    --csv "$OUT/load" --only-summary
