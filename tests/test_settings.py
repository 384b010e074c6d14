"""Production is chosen by environment variables alone, and then passes Django's deployment checks."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, env_overrides):
    # A fresh process, as in production: none of the test run's own settings leak in.
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "IPM_REQUIRE_2FA"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_is_clean_in_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={
        "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "ipm.example.org",
        "DATABASE_URL": "postgres://ipm:secret@127.0.0.1:1/ipm",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", env_overrides={"DEBUG": "false", "ALLOWED_HOSTS": "ipm.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_seed_demo_refuses_production_without_force():
    result = run_manage("seed_demo", env_overrides={
        "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "x",
        "DATABASE_URL": "sqlite:////tmp/ipm-never-created.sqlite3",
    })
    assert result.returncode != 0
    assert "DEBUG est désactivé" in result.stderr


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/comptes/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
