#!/usr/bin/env bash
# THE test command (`make test` calls it; so does .ci/run): the whole pytest suite
# against a real PostgreSQL and Redis started for it on loopback, and Debian's
# headless Chromium for browser tests — see scripts/with-services.sh.
#
# Usage: scripts/test.sh [pytest args...]      e.g. scripts/test.sh -k fiche -x
#        make test ARGS="-k fiche"
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/with-services.sh" "$ROOT/.venv/bin/python" -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    printf '[test] ERROR: pytest collected no tests (exit code 5); a test run must run tests\n' >&2
fi
exit "$rc"
