"""Run every benchmark: ``make bench``. Each prints its figures and its ratio to a baseline from the same run.

Each benchmark runs in its own process on its own throw-away SQLite database in a temporary folder, built by the
project's migrations, so that the data one builds cannot collide with another's (or on ``DATABASE_URL`` if set,
which must then be an empty database for each: run them one at a time). A failing benchmark does not stop the
others; the exit status says whether any failed.
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
    "duplicates_review",
    "cases",
    "referrals",
    "tracing",
    "monitoring",
    "campaigns",
    "livelihoods",
    "matching_quality",
    "batch_dedup",
    "intake_import",
    "openrosa",
    "reporting",
    "exports",
    "donor_reports",
]


def main() -> None:
    names = sys.argv[1:] or BENCHMARKS
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(sorted(unknown))}: choose from {', '.join(BENCHMARKS)}")
    if len(names) > 1:
        import subprocess

        failed = []
        for name in (n for n in BENCHMARKS if n in names):
            started = time.perf_counter()
            if subprocess.run([sys.executable, "-m", "bench", name], check=False).returncode:
                failed.append(name)
            print(f"[{name}: {time.perf_counter() - started:.0f} s in all]", flush=True)
        if failed:
            sys.exit(f"benchmarks that failed: {', '.join(failed)}")
        return
    run_one(names[0])


def run_one(name: str) -> None:
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

    importlib.import_module(f"bench.bench_{name}").run()


if __name__ == "__main__":
    main()
