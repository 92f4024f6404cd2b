"""Settings come from the environment; a bad value stops start-up with a message that names it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 64
FERNET = "0" * 43 + "="  # a well-formed key, for start-up tests only
INDEX_KEY = (
    "test-only-index-key-3Fq9LzW7pXc2RvN8mKd4hTb6yJ"  # long and varied enough, for start-up tests only
)
KEYS = {"HIFAZAT_FIELD_KEYS": FERNET, "HIFAZAT_INDEX_KEY": INDEX_KEY}
PRODUCTION_BASE = {
    "HIFAZAT_ENV": "production",
    "HIFAZAT_SECRET_KEY": GOOD_KEY,
    "HIFAZAT_ALLOWED_HOSTS": "x.org",
}


def start(**variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly these Hifazat variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HIFAZAT_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env={**clean, **variables},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"HIFAZAT_ENV": "production", "HIFAZAT_ALLOWED_HOSTS": "x.org"}, "HIFAZAT_SECRET_KEY is not set"),
        (
            {"HIFAZAT_ENV": "production", "HIFAZAT_SECRET_KEY": "short", "HIFAZAT_ALLOWED_HOSTS": "x.org"},
            "production needs 50 or more",
        ),
        ({"HIFAZAT_ENV": "production", "HIFAZAT_SECRET_KEY": GOOD_KEY}, "HIFAZAT_ALLOWED_HOSTS is not set"),
        ({"HIFAZAT_ENV": "staging"}, "HIFAZAT_ENV='staging' is not one of"),
        (
            {"HIFAZAT_ENV": "development", "HIFAZAT_DEBUG": "maybe"},
            "HIFAZAT_DEBUG='maybe' is not a yes/no value",
        ),
        (
            {"HIFAZAT_ENV": "development", "HIFAZAT_SESSION_IDLE_MINUTES": "thirty"},
            "HIFAZAT_SESSION_IDLE_MINUTES='thirty' is not a whole number",
        ),
        (
            {"HIFAZAT_ENV": "development", "HIFAZAT_LOGIN_FAILURE_LIMIT": "0"},
            "below the smallest allowed value",
        ),
        (
            {
                "HIFAZAT_ENV": "production",
                "HIFAZAT_DEBUG": "true",
                "HIFAZAT_SECRET_KEY": GOOD_KEY,
                "HIFAZAT_ALLOWED_HOSTS": "x.org",
            },
            "HIFAZAT_DEBUG=true is refused",
        ),
        (
            {"HIFAZAT_ENV": "development", "DATABASE_URL": "mongodb://nowhere"},
            "DATABASE_URL is not a database URL",
        ),
        (
            {**PRODUCTION_BASE, "HIFAZAT_FIELD_KEYS": FERNET, "HIFAZAT_INDEX_KEY": "x"},
            "HIFAZAT_INDEX_KEY is too short or too repetitive (length 1, 1 different characters)",
        ),
        (
            {**PRODUCTION_BASE, "HIFAZAT_FIELD_KEYS": FERNET, "HIFAZAT_INDEX_KEY": "ab" * 30},
            "(length 60, 2 different characters); production needs at least 32 random bytes: 43 or more",
        ),
    ],
)
def test_bad_settings_stop_start_up_with_a_clear_message(variables, message) -> None:
    result = start(**variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_documented_production_settings_start() -> None:
    result = start(
        HIFAZAT_ENV="production",
        HIFAZAT_SECRET_KEY=GOOD_KEY,
        HIFAZAT_ALLOWED_HOSTS="hifazat.example.org",
        **KEYS,
    )
    assert result.returncode == 0, result.stderr


def test_production_defaults_are_safe() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from config import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("HIFAZAT_")},
            "HIFAZAT_SECRET_KEY": GOOD_KEY,
            "HIFAZAT_ALLOWED_HOSTS": "x.org",
            **KEYS,
        },
    )
    assert result.stdout.split() == ["False", "True", "True", "True"], result.stderr


def test_typed_helpers(monkeypatch) -> None:
    monkeypatch.setenv("HZ_T", " yes ")
    assert env.env_bool("HZ_T") is True
    monkeypatch.setenv("HZ_T", "a, b,,c")
    assert env.env_list("HZ_T") == ["a", "b", "c"]
    monkeypatch.setenv("HZ_T", "101")
    with pytest.raises(ImproperlyConfigured, match="HZ_T=101 is above the largest allowed value, 100"):
        env.env_int("HZ_T", 5, maximum=100)
    monkeypatch.delenv("HZ_T")
    assert env.env_int("HZ_T", 5) == 5


PRODUCTION = {
    **KEYS,
    "HIFAZAT_ENV": "production",
    "HIFAZAT_ALLOWED_HOSTS": "hifazat.example.org",
    "HIFAZAT_SECRET_KEY": "ci-only-" + "".join(chr(97 + (i * 7) % 26) for i in range(60)),
}


def manage(*arguments: str, **variables: str) -> subprocess.CompletedProcess:
    # Without the test run's own variables (DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser journeys).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HIFAZAT_") and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "-m", "config.manage", *arguments],
        cwd=ROOT,
        env={**clean, **variables},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deployment_check_is_clean_under_the_documented_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_contradicting_settings_are_reported_by_the_system_checks() -> None:
    result = manage(
        "check",
        **PRODUCTION,
        HIFAZAT_TWO_FACTOR_EXTRA_ROLES="guard",
        HIFAZAT_SESSION_IDLE_MINUTES="1000",
        HIFAZAT_SESSION_MAX_HOURS="2",
    )
    assert result.returncode != 0
    assert "hifazat.E001" in result.stderr and "'guard'" in result.stderr
    assert "hifazat.E002" in result.stderr
