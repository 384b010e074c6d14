#!/usr/bin/env bash
# Prepare the project's local environment, idempotently and quickly:
#   - .venv with the project and its dev extras  (pip install -e '.[dev]')
#   - node_modules with the front-end packages    (npm ci)
# Each step is skipped when its input file (pyproject.toml, package-lock.json)
# has not changed since the last successful install (hash kept in a stamp file).
#
# Usage: scripts/bootstrap.sh        (called by scripts/test.sh, scripts/run.sh, `make install`)
# Env:   PYTHON=python3.11           interpreter used to create .venv (default: python3)
#        IPM_FORCE_BOOTSTRAP=1       reinstall even if nothing changed
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
PY_STAMP="$VENV/.ipm-bootstrap-stamp"
NODE_STAMP="$ROOT/node_modules/.ipm-bootstrap-stamp"

log() { printf '[bootstrap] %s\n' "$*" >&2; }

# Fingerprint of the files an install depends on (missing files hash as empty).
fingerprint() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }

# Serialise concurrent bootstraps of the same checkout (several test runs may
# start at once); the lock is released when this script exits.
mkdir -p "$ROOT/var"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$ROOT/var/.bootstrap.lock"
    flock 9
fi

# --- Python ------------------------------------------------------------------
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "the existing .venv is broken (moved or its interpreter is gone); recreating it"
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    log "creating .venv with $PYTHON ($("$PYTHON" --version 2>&1))"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi

if [ ! -f pyproject.toml ]; then
    log "no pyproject.toml yet: skipping the Python install"
else
    want="$(fingerprint pyproject.toml)"
    have="$(cat "$PY_STAMP" 2>/dev/null || true)"
    if [ "$want" != "$have" ] || [ -n "${IPM_FORCE_BOOTSTRAP:-}" ]; then
        log "installing the project and its dev extras into .venv (pip install -e '.[dev]')"
        rm -f "$PY_STAMP"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
        echo "$want" >"$PY_STAMP"
    fi
fi

# --- Front-end packages --------------------------------------------------------
if [ ! -f package.json ]; then
    log "no package.json: skipping npm"
elif ! command -v npm >/dev/null 2>&1; then
    log "npm is not installed: front-end packages (node_modules/) cannot be installed"
    log "install Node.js 18+ with npm (Debian: apt-get install nodejs npm) and re-run"
    exit 1
else
    want="$(fingerprint package.json package-lock.json)"
    have="$(cat "$NODE_STAMP" 2>/dev/null || true)"
    if [ ! -d node_modules ] || [ "$want" != "$have" ] || [ -n "${IPM_FORCE_BOOTSTRAP:-}" ]; then
        if [ -f package-lock.json ]; then
            log "installing front-end packages (npm ci)"
            npm ci --no-audit --no-fund --loglevel=error
        else
            log "installing front-end packages (npm install: no package-lock.json yet)"
            npm install --no-audit --no-fund --loglevel=error
            want="$(fingerprint package.json package-lock.json)"
        fi
        echo "$want" >"$NODE_STAMP"
    fi
fi
