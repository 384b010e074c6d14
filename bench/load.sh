#!/usr/bin/env bash
# Load test in production mode: gunicorn over HTTPS + PostgreSQL + Redis on 127.0.0.1
# (scripts/with-services.sh), 50 simulated users (counsellors, platform staff, managers) for two minutes,
# then everything stops by itself. DEBUG off, two-factor required, Secure session and CSRF cookies,
# static files collected and served by WhiteNoise (bench/prod_server.py); TLS is terminated by gunicorn
# with a throw-away self-signed certificate made at run time in a temporary directory.
#   bench/load.sh                          # generates 20,000 young people first (under a minute)
#   IPM_LOAD_YOUTHS=200000 bench/load.sh   # the full data set (about 5 minutes more)
#   IPM_LOAD_QUICK_STATIC=1 bench/load.sh  # static files collected without their gzip/Brotli copies (minutes
#                                          # less on a busy machine; WhiteNoise then serves them uncompressed)
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
if [ "${have:-0}" -lt "${IPM_LOAD_YOUTHS:-20000}" ]; then
    "$PY" manage.py generate_data --youths "${IPM_LOAD_YOUTHS:-20000}"
fi
"$PY" bench/bench.py --pg-settings-only
WORK="$(mktemp -d)"
GUNICORN=""
cleanup() { [ -n "$GUNICORN" ] && kill "$GUNICORN" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
# Production settings (DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, IPM_REQUIRE_2FA, STATIC_ROOT, MEDIA_ROOT…),
# certificate and collectstatic: the accounts' contracts and pieces are written under this MEDIA_ROOT.
eval "$("$PY" bench/prod_server.py prepare "$WORK" ${IPM_LOAD_QUICK_STATIC:+--quick})"
"$PY" bench/load_setup.py "$OUT/load_accounts.json" --users "${IPM_LOAD_USERS:-50}"
# What the worker's beat does every two minutes in production after a change: the platform's report files
# made ahead (reporting/prerender.py). No worker runs during the test (the generated data's thousands of
# pending messages would be sent meanwhile): the web server alone is measured. The reports' data
# generation is printed before and after: the same word means no file made ahead went stale.
"$PY" manage.py prerender_reports
generation() { "$PY" manage.py shell -c 'from ipm import filecache; print(filecache.generation("reports"))' | tail -n 1; }
echo "report data generation before the test: $(generation)"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$PY" bench/prod_server.py serve "$WORK" "$PORT" "${IPM_LOAD_WORKERS:-4}" "$OUT/gunicorn.log" &
GUNICORN=$!
"$PY" bench/prod_server.py wait "https://127.0.0.1:$PORT/comptes/login/" 60
IPM_LOAD_ACCOUNTS="$OUT/load_accounts.json" "$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless \
    --host "https://127.0.0.1:$PORT" -u "${IPM_LOAD_USERS:-50}" -r "${IPM_LOAD_RATE:-1}" -t "${IPM_LOAD_TIME:-2m}" --stop-timeout 10 \
    --csv "$OUT/load" --only-summary
echo "report data generation after the test: $(generation)"
