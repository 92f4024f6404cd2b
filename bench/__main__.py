"""Run every benchmark: ``make bench``. Each prints its figures and its ratio to a baseline from the same run.

The benchmarks use a throw-away SQLite database in a temporary folder (or ``DATABASE_URL`` if set), built by the
project's migrations.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

# In the order they run; ``make bench`` runs them all, ``python -m bench tracing`` one.
BENCHMARKS = [
    "foundation",
    "people",
    "cases",
    "referrals",
    "tracing",
    "monitoring",
    "campaigns",
    "livelihoods",
]


def main() -> None:
    folder = tempfile.mkdtemp(prefix="hifazat-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    os.environ.setdefault("HIFAZAT_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database ready in {time.perf_counter() - started:.1f} s: {os.environ['DATABASE_URL']}")

    import importlib

    names = sys.argv[1:] or BENCHMARKS
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(sorted(unknown))}: choose from {', '.join(BENCHMARKS)}")
    for name in BENCHMARKS:
        if name in names:
            importlib.import_module(f"bench.bench_{name}").run()


if __name__ == "__main__":
    main()
