"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment |= env
    # An empty .env path keeps the developer's .env out of the experiment.
    code = (
        "import environ; environ.Env.read_env = staticmethod(lambda *a, **k: None);"
        "import aktywizacja.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_starts_with_a_secret_key_when_debug_is_off():
    result = _load_settings(DEBUG="0", SECRET_KEY="a-real-secret", DATABASE_URL="sqlite:///x.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_production_settings_pass_the_deploy_check_without_warnings():
    # The browser tests allow the ORM beside Playwright's event loop in this process;
    # production never does.
    test_only = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in test_only}
    environment |= {
        "DEBUG": "0",
        "SECRET_KEY": "a-real-secret-of-more-than-fifty-characters-x7Qp2Lr9Zt4Vw8Ny3Kd6Hs1",
        "ALLOWED_HOSTS": "aktywizacja.example.pl",
        "DATABASE_URL": "sqlite:///x.db",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_has_a_development_key():
    result = _load_settings(DEBUG="1", DATABASE_URL="postgres://u:p@127.0.0.1:5432/d")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.postgresql"]


def test_the_house_rules():
    assert settings.LANGUAGE_CODE == "pl"
    assert settings.TIME_ZONE == "Europe/Warsaw"
    assert settings.USE_TZ
    assert (
        settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        or "MD5"
        in (
            settings.PASSWORD_HASHERS[0]  # tests swap in a fast hasher
        )
    )
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_argon2_is_the_first_hasher_in_the_settings_module():
    import aktywizacja.settings as module

    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sqlite_takes_the_write_lock_at_begin():
    import aktywizacja.settings as module

    db = module.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert db["OPTIONS"]["timeout"] >= 5
