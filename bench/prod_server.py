"""Ipm served as in production, on loopback, for the load test (bench/load.sh) and its smoke test.

DEBUG off, two-factor required, session and CSRF cookies ``Secure``, HSTS, the static files collected
and served by WhiteNoise (compressed, hashed names), uploads in their own directory: the settings read
the same environment variables as in production. TLS is terminated by gunicorn itself with a
throw-away self-signed certificate made at run time (openssl) in a temporary directory, so that the
``Secure`` cookies travel as they would behind the real front server.

    eval "$(python bench/prod_server.py prepare DIR)"   # certificate, collectstatic, prints the exports
    eval "$(python bench/prod_server.py prepare DIR --quick)"   # the same without gzip/Brotli copies
    python bench/prod_server.py serve DIR PORT [WORKERS]   # gunicorn over HTTPS on 127.0.0.1:PORT
    python bench/prod_server.py wait URL [SECONDS]         # until URL answers (certificate not checked)
"""
import os
import secrets
import shlex
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def production_env(directory):
    """The environment variables of production mode, files under ``directory``."""
    directory = Path(directory)
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "IPM_REQUIRE_2FA": "true",
        "STATIC_ROOT": str(directory / "static"),
        "MEDIA_ROOT": str(directory / "media"),
        "IPM_BASE_URL": "https://127.0.0.1",
        # Every simulated user logs in from 127.0.0.1: no lockout for the address's logins.
        "AXES_FAILURE_LIMIT": "1000",
        "IPM_LOGIN_ADDRESS_FAILURE_LIMIT": "1000",
    }


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1, valid one day: (certificate, key) paths."""
    directory = Path(directory)
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    key.chmod(0o600)
    return cert, key


def prepare(directory, quick=False):
    """Certificate, collected static files and upload directory under ``directory``; returns the env.
    ``quick`` (the smoke test): no compressed copies of the static files, nor the admin's."""
    directory = Path(directory)
    env = production_env(directory)
    Path(env["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)
    make_certificate(directory)
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    extra = {"DJANGO_SETTINGS_MODULE": "bench.static_settings"} if quick else {}
    subprocess.run(collect + (["-i", "admin"] if quick else []), cwd=ROOT, check=True,
                   env={**os.environ, **env, **extra})
    return env


def gunicorn_command(directory, port, workers=4, error_log="-"):
    directory = Path(directory)
    return [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--certfile", str(directory / "cert.pem"), "--keyfile", str(directory / "key.pem"),
            "--access-logfile", "/dev/null", "--error-logfile", error_log]


def start(directory, port, env, workers=1, error_log="-"):
    """gunicorn over HTTPS in the background (the caller stops it)."""
    return subprocess.Popen(gunicorn_command(directory, port, workers, error_log), cwd=ROOT,
                            env={**os.environ, **env})


def insecure_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def wait(url, seconds=60):
    """Until ``url`` answers (any HTTP status); False after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, context=insecure_context(), timeout=5)
            return True
        except urllib.error.HTTPError:
            return True
        except (OSError, ssl.SSLError):
            time.sleep(0.2)
    return False


def main(argv):
    command, args = argv[0], argv[1:]
    if command == "prepare":
        env = prepare(args[0], quick="--quick" in args)
        print("\n".join(f"export {name}={shlex.quote(value)}" for name, value in env.items()))
    elif command == "serve":
        workers = args[2] if len(args) > 2 else "4"
        error_log = args[3] if len(args) > 3 else "-"
        os.chdir(ROOT)
        cmd = gunicorn_command(args[0], args[1], workers, error_log)
        os.execv(cmd[0], cmd)
    elif command == "wait":
        sys.exit(0 if wait(args[0], float(args[1]) if len(args) > 1 else 60) else 1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
