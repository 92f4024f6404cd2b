"""OpenRosa submissions (``intake.collect.submission``), at 100,000 registered people (SQLite by default; the
database of ``DATABASE_URL`` when set).

1. The endpoint: a caseworker's ODK Collect sends full household registrations (the shipped household form: a head
   with a phone, a spouse, two children with their caregiver's consent and their own view) to
   ``POST /collect/<token>/submission`` as a multipart body with ``Authorization: Basic``, over HTTPS, through
   Django's test client (the whole request: middleware, authentication, multipart parsing, ``submission_receive``,
   which keeps the submission, and the task that will store it queued on the database task backend). Target: at
   least 100 submissions per second, one after another (one Collect, one web worker).
2. The storing, which the endpoint leaves to the background worker: each queued ``tasks.submission_store`` run as
   the worker runs it (``submission_process``: every member checked for likely duplicates in the registry, the
   household registered through ``people.batch``, or the submission held for review). Each submission is a new
   household with names from the registry's generator, so some members are likely registered already and their
   submission is held for review, as in the field. Reported, with no target of its own: it is how fast one
   worker drains what the field sends.

Baseline, in the same run: the same households registered through ``people.services`` directly
(``household_register`` and ``person_register`` for each member), the work a submission ends in, without the
endpoint, the XML or the duplicate check. The registration's duplicate scans are queued on the database task
backend too (their work is the background worker's, as at registration), not run.
"""

from __future__ import annotations

import base64
import random
import statistics
import time
import uuid
from xml.sax.saxutils import escape

SEED = 2013
SUBMISSIONS = 100
WARMUP = 3
TARGET_PER_SECOND = 100


def members(rng: random.Random) -> list[dict[str, str]]:
    """A household of four as Collect fills the shipped form: head, spouse and two children."""
    from hifazat.demo.names import FEMALE
    from hifazat.matching.synthetic import family_name, male_name

    family, head, wife = family_name(rng)[0], male_name(rng)[0], rng.choice(FEMALE)[0]
    children = [
        {
            "first_name": male_name(rng)[0] if rng.random() < 0.5 else rng.choice(FEMALE)[0],
            "second_name": family,
            "gender": "Masculine" if index == 0 else "Feminine",
            "relationship_to_head": "child",
            "age_years": str(rng.randint(2, 16)),
            "child_status": "with_parents",
            "consent_registration": "given",
            "consent_given_by": "caregiver",
            "consent_given_by_name": f"{head} {family}",
            "child_view": "agrees",
        }
        for index in range(2)
    ]
    return [
        {
            "first_name": head,
            "second_name": family,
            "gender": "Masculine",
            "relationship_to_head": "head",
            "age_years": str(rng.randint(25, 60)),
            "phone": f"0300 {rng.randrange(10**7):07d}",
            "consent_registration": "given",
            "consent_given_by": "self",
        },
        {
            "first_name": wife,
            "second_name": family,
            "gender": "Feminine",
            "relationship_to_head": "spouse",
            "age_years": str(rng.randint(20, 55)),
            "consent_registration": "given",
            "consent_given_by": "self",
        },
        *children,
    ]


def submission_xml(form, site_code: str, household: list[dict[str, str]], shelter: str) -> bytes:
    """The instance Collect writes for the shipped household form (``meta/instanceID`` new each time)."""
    rows = "".join(
        "<members>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in member.items()) + "</members>"
        for member in household
    )
    return (
        f'<?xml version="1.0" ?><data xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{form.form_id}" version="{form.version}">'
        f"<site_code>{site_code}</site_code><shelter_number>{shelter}</shelter_number>"
        f"<origin_village>Khairpur</origin_village><arrival_date>2026-11-02</arrival_date>{rows}"
        f"<consent_photo></consent_photo><meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()


def multipart(xml: bytes) -> tuple[bytes, str]:
    boundary = "----collect" + uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="xml_submission_file"; '
            f'filename="submission.xml"\r\nContent-Type: text/xml\r\n\r\n'
        ).encode()
        + xml
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def setup(actor, sites):
    """The shipped household form published in the registry's organisation, and a caseworker's Collect key,
    both through the services."""
    from hifazat.accounts.models import Membership, User
    from hifazat.core.audit import Actor
    from hifazat.intake import services
    from hifazat.intake.formdefs import FORMS_DIR
    from hifazat.intake.models import Purpose

    form = services.form_upload(
        actor=actor,
        name="household_registration.xlsx",
        content=(FORMS_DIR / "household_registration.xlsx").read_bytes(),
        purpose=Purpose.HOUSEHOLD_REGISTRATION,
    )
    user = User.objects.create(username="bench-collect-caseworker")
    Membership.objects.create(user=user, organisation=actor.organisation, role="caseworker")
    key, secret = services.collect_key_create(actor=Actor.for_user(user))
    return form, user, key, secret


def run() -> None:
    from bench.bench_people import build

    started = time.perf_counter()
    rng = random.Random(SEED)
    actor, people, sites = build(rng)
    del people
    measure_submissions(actor, sites, rng)
    print(f"[bench_openrosa: {time.perf_counter() - started:.0f} s]")


def measure_submissions(actor, sites, rng: random.Random) -> None:
    from django.test import Client, override_settings

    from bench.timing import report

    form, user, key, secret = setup(actor, sites)
    client = Client()
    authorization = "Basic " + base64.b64encode(f"{user.username}:{secret}".encode()).decode()
    url = f"/collect/{key.token}/submission"

    def submit(number: int) -> int:
        xml = submission_xml(form, rng.choice(sites).code, members(rng), f"C-{number}")
        body, content_type = multipart(xml)
        response = client.generic(
            "POST", url, data=body, content_type=content_type, secure=True, HTTP_AUTHORIZATION=authorization
        )
        return response.status_code

    from django_tasks_db.models import DBTaskResult

    from hifazat.intake import tasks as intake_tasks
    from hifazat.intake.models import Submission
    from hifazat.people import services
    from hifazat.people.models import Person

    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=queue):
        preflight = client.generic("HEAD", url, secure=True, HTTP_AUTHORIZATION=authorization)
        if preflight.status_code != 204:
            raise SystemExit(f"HEAD /submission answered {preflight.status_code}, not 204")
        for number in range(WARMUP):
            submit(-number - 1)
        samples, statuses = [], []
        began, cpu = time.perf_counter(), time.process_time()
        for number in range(SUBMISSIONS):
            one = time.perf_counter()
            statuses.append(submit(number))
            samples.append((time.perf_counter() - one) * 1000)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        queued = Submission.objects.filter(status=Submission.Status.RECEIVED, complete=True)
        waiting = list(queued.order_by("pk").values_list("uuid", flat=True))
        tasks_queued = DBTaskResult.objects.filter(task_path__endswith="submission_store").count()

        # The worker's side: each queued submission stored as ``db_worker`` runs the task.
        store_samples = []
        store_began = time.perf_counter()
        for submission_uuid in waiting:
            one = time.perf_counter()
            intake_tasks.submission_store.call(str(submission_uuid))
            store_samples.append((time.perf_counter() - one) * 1000)
        store_seconds = time.perf_counter() - store_began

        # Baseline: the same households through people.services, without the endpoint.
        site_objects = {site.code: site for site in sites}
        baseline_samples = []
        baseline_began = time.perf_counter()
        for number in range(SUBMISSIONS):
            household_members = members(rng)
            one = time.perf_counter()
            household = services.household_register(
                actor=actor, site=site_objects[rng.choice(sites).code], shelter_number=f"B-{number}"
            )
            for member in household_members:
                data = {
                    k: v
                    for k, v in member.items()
                    if k in ("first_name", "second_name", "gender", "relationship_to_head", "child_status")
                }
                services.person_register(
                    actor=actor,
                    household=household,
                    age_years=int(member["age_years"]),
                    phone=member.get("phone", ""),
                    consent_given_by=member["consent_given_by"],
                    consent_given_by_name=member.get("consent_given_by_name", ""),
                    child_view=member.get("child_view", ""),
                    **data,
                )
            baseline_samples.append((time.perf_counter() - one) * 1000)
        baseline_seconds = time.perf_counter() - baseline_began

    refused = [status for status in statuses if status not in (201, 202)]
    if refused:
        raise SystemExit(f"{len(refused)} submissions were not accepted: {sorted(set(refused))}")
    if len(waiting) != SUBMISSIONS + WARMUP or tasks_queued != len(waiting):
        raise SystemExit(
            f"{len(waiting)} submissions waiting and {tasks_queued} tasks queued, not {SUBMISSIONS}"
        )
    by_status = {
        status: Submission.objects.filter(status=status).count()
        for status in Submission.objects.values_list("status", flat=True).distinct()
    }
    if by_status.get(Submission.Status.RECEIVED):
        raise SystemExit(f"submissions left unstored after the worker's run: {by_status}")
    rate, baseline_rate = SUBMISSIONS / seconds, SUBMISSIONS / baseline_seconds
    store_rate = len(waiting) / store_seconds

    def figures(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "p50": statistics.median(ordered),
            "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
            "max": ordered[-1],
        }

    print(
        f"registry {Person.objects.count():,} people after the run; submissions by status {by_status}; "
        f"{DBTaskResult.objects.count():,} tasks queued in all (storing and duplicate scans)",
        flush=True,
    )
    report("POST /submission, household of 4", figures(samples), figures(baseline_samples), "100,000 people")
    report("worker: submission_store, household of 4", figures(store_samples), figures(baseline_samples))
    report("baseline: people.services, household of 4", figures(baseline_samples))
    print(
        f"submissions through the endpoint, {SUBMISSIONS} one after another: {rate:6.1f} per second "
        f"({SUBMISSIONS / cpu:.1f} per CPU second of this process)  "
        f"target >= {TARGET_PER_SECOND}: {'MET' if rate >= TARGET_PER_SECOND else 'NOT MET'}; baseline "
        f"{baseline_rate:6.1f} households per second; ratio to baseline {rate / baseline_rate:.2f}",
        flush=True,
    )
    print(
        f"stored by one worker (duplicate check of every member, then the registration): {store_rate:6.1f} "
        f"per second; ratio to baseline {store_rate / baseline_rate:.2f}",
        flush=True,
    )
