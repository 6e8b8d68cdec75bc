"""The production run: whitenoise's manifest in production only, gunicorn's settings."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _settings(code: str, **env) -> str:
    """Evaluate `code` on the settings module `s` loaded with this environment only."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment |= {"DATABASE_URL": "sqlite:///x.db", **env}
    program = (
        "import environ; environ.Env.read_env = staticmethod(lambda *a, **k: None);"
        f"import aktywizacja.settings as s; print({code})"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", program], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


STORAGE = "s.STORAGES['staticfiles']['BACKEND']"


def test_production_serves_compressed_hashed_static_files():
    storage = _settings(STORAGE, DEBUG="0", SECRET_KEY="x" * 50)
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_development_and_tests_use_plain_storage():
    # The manifest exists only after collectstatic (DESIGN §5, known traps).
    assert _settings(STORAGE, DEBUG="1") == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_the_static_root_comes_from_the_environment():
    static_root = _settings("s.STATIC_ROOT", DEBUG="1", STATIC_ROOT="/srv/static")
    assert static_root == "/srv/static"


def test_whitenoise_serves_static_files_before_the_rest_of_the_stack():
    middleware = _settings("s.MIDDLEWARE[:3]", DEBUG="0", SECRET_KEY="x" * 50)
    assert middleware == str(
        [
            "django.middleware.security.SecurityMiddleware",
            "whitenoise.middleware.WhiteNoiseMiddleware",
            "aktywizacja.csp.ContentSecurityPolicyMiddleware",
        ]
    )


def test_the_health_endpoint_is_exempt_from_the_https_redirect():
    exempt = _settings("s.SECURE_REDIRECT_EXEMPT", DEBUG="0", SECRET_KEY="x" * 50)
    assert exempt == str([r"^zdrowie/$"])


def _gunicorn(**env) -> dict:
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_gunicorn_takes_its_workers_from_the_environment():
    assert _gunicorn(WEB_CONCURRENCY="5")["workers"] == 5


def test_gunicorn_opens_no_control_socket_and_logs_to_the_console():
    config = _gunicorn()
    assert config["control_socket_disable"] is True
    assert config["accesslog"] == config["errorlog"] == "-"


def test_gunicorn_logs_no_query_string_and_no_referrer():
    # A search (?q=) may hold a PESEL or a name: %(U)s is the path alone.
    log_format = _gunicorn()["access_log_format"]
    assert "%(U)s" in log_format
    for with_query in ("%(r)s", "%(q)s", "%(f)s"):
        assert with_query not in log_format
