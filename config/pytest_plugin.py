"""Loaded by pytest before Django starts (``-p config.pytest_plugin`` in pyproject.toml).

It only chooses the test kind of run; every other setting still comes from ``config.settings``. A variable that
is already set (``DATABASE_URL`` for the PostgreSQL run, say) is left as it is.
"""

import os

os.environ.setdefault("HIFAZAT_ENV", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the browser journeys' live server
