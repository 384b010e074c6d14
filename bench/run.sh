#!/usr/bin/env bash
# Benchmark on a throw-away PostgreSQL (scripts/with-services.sh): generates the data set (200,000 young
# people by default, about 5 minutes) then measures; see BENCHMARKS.md.
#   bench/run.sh                                   # full run
#   bench/run.sh --youths 5000 --runs 5            # quick look
#   bench/run.sh --json var/bench/bench.json --markdown var/bench/bench.md
# Any option of bench/bench.py (--help). Against an existing database: .venv/bin/python bench/bench.py --no-generate
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export IPM_PG_SHARED_BUFFERS="${IPM_PG_SHARED_BUFFERS:-512MB}"
exec scripts/with-services.sh "$ROOT/.venv/bin/python" bench/bench.py "$@"
