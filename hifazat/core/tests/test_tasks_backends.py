"""The same task code runs on the database backend and, by setting alone, on Redis (RQ) workers.

Each check runs in a fresh interpreter with its own SQLite file, since the task backend is chosen at start-up.
The Redis check is skipped where no Redis answers on 127.0.0.1:6379, except in CI, where .ci/run starts one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

MIGRATE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
"""

SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from hifazat.core.jobs import job_create
from hifazat.core.models import Job
from hifazat.demo import scenario
from hifazat.geography import tasks
# Only the organisations, users and places the import needs: a whole demo would queue its own tasks (duplicate
# scans), and the worker below would run them all before this one's result could be read.
demo = scenario.Demo(seed=1, households=0)
scenario.build_organisations_and_users(demo)
scenario.build_geography(demo)
job = job_create(actor=demo.actor(), kind="geography.sites", file_name="x.csv",
                 payload="code,name,site_type,area_pcode\\nX-1,Camp X,relief_camp,PK701\\n")
tasks.import_check.enqueue(str(job.uuid))
job.refresh_from_db()
assert job.status == Job.Status.PENDING, job.status  # queued, not run in the request
WORKER = __import__("sys").argv[1]
if WORKER == "db":
    call_command("db_worker", "--batch", "--interval", "0")
else:
    call_command("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.backend.Job")
job.refresh_from_db()
print("RESULT", job.status, job.result["create"])
"""


def python(database: Path, script: str, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIFAZAT_") and k != "DATABASE_URL"}
    env.update(
        HIFAZAT_ENV="test",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{database}",
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A database file migrated once for both checks (migrating is most of a check's time)."""
    database = tmp_path_factory.mktemp("tasks") / "migrated.sqlite3"
    result = python(database, MIGRATE)
    assert result.returncode == 0, result.stderr[-3000:]
    return database


def run(migrated: Path, tmp_path, worker: str, **variables: str) -> subprocess.CompletedProcess:
    database = tmp_path / "tasks.sqlite3"
    shutil.copyfile(migrated, database)
    return python(database, SCRIPT, worker, **variables)


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_an_import_check_runs_on_the_database_backend_and_its_worker(migrated, tmp_path) -> None:
    result = run(migrated, tmp_path, "db", HIFAZAT_TASKS_BACKEND="database")
    assert "RESULT ready 1" in result.stdout, result.stderr[-3000:]


def test_the_same_task_runs_on_redis_workers_by_setting_alone(migrated, tmp_path) -> None:
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail("CI must run this check: Redis is not answering on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379 (start one to run this check)")
    result = run(
        migrated, tmp_path, "rq", HIFAZAT_TASKS_BACKEND="redis", REDIS_URL="redis://127.0.0.1:6379/15"
    )
    assert "RESULT ready 1" in result.stdout, result.stderr[-3000:]
