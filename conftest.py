"""Fixtures shared by the whole suite: the browser journeys drive Debian's chromium, never a downloaded browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    "chromium is not installed: run `apt-get install -y chromium` (Debian) to run the browser journeys"
)
PANGO_MISSING = (
    "Pango is not installed (WeasyPrint needs it for PDFs): run `apt-get install -y libpango-1.0-0 "
    "libpangoft2-1.0-0` (Debian; chromium brings them) to run the PDF tests"
)


def pango_missing() -> bool:
    import ctypes.util

    return ctypes.util.find_library("pango-1.0") is None or ctypes.util.find_library("pangoft2-1.0") is None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's: it empties test-results/ as each xdist worker starts, which can remove the
    screenshot that a journey on the other worker has just saved there."""


@pytest.fixture(autouse=True)
def english_to_start_with():
    """Each test starts in the default language. A request in Urdu leaves Urdu active in the thread (the locale
    middleware activates it and nothing resets it), which would otherwise leak into the next test's strings."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


def pytest_configure(config: pytest.Config) -> None:
    # A loaded two-core CI machine can take more than Playwright's 5 s default to redraw an htmx fragment.
    try:
        from playwright.sync_api import expect

        expect.set_options(timeout=15_000)
    except ImportError:  # the browser tools are a development extra
        pass
    # pytest-playwright 0.10 defines its base_url fixture in a way pytest 9 deprecates; nothing here uses it.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for marker, missing, reason in (
        ("browser", not CHROMIUM.exists(), CHROMIUM_MISSING),
        ("pdf", pango_missing(), PANGO_MISSING),
    ):
        if not missing:
            continue
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if item.get_closest_marker(marker):
                item.add_marker(skip)


# The audit table refuses UPDATE, DELETE and TRUNCATE (migration core 0002), so the flush that ends every
# transactional test (live_server, transaction=True) fails and leaves its rows behind for the next test.
# For such a test only, the guard is lifted when its teardown starts and put back right after the flush.


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or "transactional_db" in names
        or "live_server" in names
    )


def _lift_audit_guard(item: pytest.Item) -> Callable[[], None] | None:
    blocker = (getattr(item, "funcargs", None) or {}).get("django_db_blocker")
    if blocker is None or not _is_transactional(item):
        return None
    from django.db import connection

    from hifazat.core.models import AuditEntry

    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            restore = [f"ALTER TABLE {table} ENABLE TRIGGER USER"]
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AuditEntry._meta.db_table],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            restore = [sql for _name, sql in triggers]
        else:
            return None

    def put_back() -> None:
        with blocker.unblock(), connection.cursor() as cursor:
            for statement in restore:
                cursor.execute(statement)
        # The flush closed the connections; leave none open, or the test database cannot be dropped.
        connection.close()

    return put_back


_PUT_BACK = pytest.StashKey[Callable[[], None]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    put_back = _lift_audit_guard(item)
    if put_back is not None:
        item.stash[_PUT_BACK] = put_back
    return (yield)


def pytest_fixture_post_finalizer(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest) -> None:
    # pytest-django's flush runs in the teardown of _django_db_helper; the test database still exists here.
    if fixturedef.argname == "_django_db_helper":
        put_back = request.node.stash.get(_PUT_BACK, None)
        if put_back is not None:
            del request.node.stash[_PUT_BACK]
            put_back()
