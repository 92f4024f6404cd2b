"""Typed readers for settings from environment variables.

Each helper returns a value of one type or stops start-up with an ``ImproperlyConfigured`` that names the
variable, what it holds and what it should hold, so a typo in a deployment fails loudly instead of running with a
silently wrong setting.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes/no value: use one of {sorted(TRUE_WORDS)} or {sorted(FALSE_WORDS - {''})}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the smallest allowed value, {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the largest allowed value, {maximum}.")
    return number


def env_list(name: str, default: Iterable[str] = ()) -> list[str]:
    """A comma-separated list; blanks around items are dropped."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Iterable[str]) -> str:
    allowed = list(choices)
    value = env_str(name, default)
    if value not in allowed:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {allowed}.")
    return value


def derive_key(secret: str, purpose: str) -> str:
    """A Fernet-shaped key derived from ``secret``: only for development and tests, where no keys are set."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{secret}".encode()).digest()).decode()
