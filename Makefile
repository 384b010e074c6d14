# Ipm — everyday commands. The real work is in scripts/ (plain bash, readable).
#
#   make run                    the application with demo data on http://127.0.0.1:8000/
#                               (SQLite + embedded Celery broker, nothing to install; PORT=8001 make run)
#   make test                   the whole test suite against throw-away PostgreSQL + Redis servers
#   make test ARGS="-k fiche"   any pytest arguments, e.g. ARGS="-x -k fiche" or ARGS="tests/test_x.py -vv"
#   make install                only install the dependencies (.venv and node_modules)
#   make lint                   Django system checks and, if ruff is installed, ruff

SHELL := /bin/bash
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test install lint

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

run:
	scripts/run.sh

test:
	scripts/test.sh $(ARGS)

install:
	scripts/bootstrap.sh

lint: install
	.venv/bin/python manage.py check
	.venv/bin/python manage.py makemigrations --check --dry-run
	@if [ -x .venv/bin/ruff ]; then .venv/bin/ruff check . ; else echo "ruff not installed in .venv: skipped"; fi
