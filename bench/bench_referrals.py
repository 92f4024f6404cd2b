"""Referral benchmarks, at 20,000 referrals between five organisations on SQLite.

1. The incoming list of one organisation (``referrals.selectors.incoming_referrals``), awaiting an answer first:
   the first page of 50 and the count, as the page runs it.
2. The work list's two referral sections for a receiving caseworker and a sending caseworker
   (``referrals.hooks.worklist``).
3. The overdue sweep (``referrals.services.referrals_mark_overdue``) when nothing new is overdue: what every
   hourly run costs, whatever the size of the table; and the one run that marks a backlog.

Baseline, in the same run: 50 referrals of one receiving organisation by an indexed filter, without ordering or
joins. Target: each p95 under 100 ms. Referrals, cases and people are written with ``bulk_create`` (the services
would take an hour at this size); snapshots are encrypted as the service does it.
"""

from __future__ import annotations

import datetime
import random
import time

from bench.timing import measure, report

REFERRALS = 20_000
ORGANISATIONS = 5
SEED = 2005


def build(rng: random.Random):
    from django.utils import timezone

    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.cases.models import Case
    from hifazat.core.audit import Actor
    from hifazat.geography.models import AdminArea
    from hifazat.people.models import Person
    from hifazat.referrals.models import (
        ProvidedService,
        Referral,
        ReferralStatus,
        ServiceProvider,
        ServiceType,
    )

    orgs = [
        Organisation.objects.create(name=f"Organisation {i}", short_name=f"O{i}", org_type="NGO")
        for i in range(ORGANISATIONS)
    ]
    workers = []
    for org in orgs:
        user = User.objects.create(username=f"cw-{org.short_name}")
        Membership.objects.create(user=user, organisation=org, role="caseworker")
        supervisor = User.objects.create(username=f"sup-{org.short_name}")
        Membership.objects.create(user=supervisor, organisation=org, role="supervisor")
        workers.append(user)
    area = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
    providers = []
    for org in orgs:
        provider = ServiceProvider.objects.create(organisation=org, name=f"{org.short_name} services")
        provider.areas.set([area])
        ProvidedService.objects.bulk_create(
            ProvidedService(provider=provider, service=s) for s in ServiceType.values
        )
        providers.append(provider)
    people = Person.objects.bulk_create(
        Person(organisation=orgs[i % ORGANISATIONS], first_name=f"P{i}", gender="Feminine")
        for i in range(REFERRALS // 4)
    )
    today = timezone.localdate()
    cases = Case.objects.bulk_create(
        Case(
            organisation=p.organisation,
            number=f"{p.organisation.short_name}-C-{i}",
            person=p,
            owner=workers[orgs.index(p.organisation)],
            caseworker=workers[orgs.index(p.organisation)],
            origin="walk_in",
            opened_on=today,
        )
        for i, p in enumerate(people)
    )
    now = timezone.now()
    statuses = (
        [ReferralStatus.SENT] * 2
        + [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED]
        + [ReferralStatus.COMPLETED] * 4
    )
    rows = []
    for i in range(REFERRALS):
        case = rng.choice(cases)
        sender = orgs.index(case.organisation)
        receiver = rng.choice([j for j in range(ORGANISATIONS) if j != sender])
        sent_at = now - datetime.timedelta(hours=rng.randrange(1, 24 * 120))
        referral = Referral(
            number=f"{orgs[sender].short_name}-R-{i:06d}",
            case=case,
            sender_organisation=orgs[sender],
            sent_by=workers[sender],
            receiver_organisation=orgs[receiver],
            provider=providers[receiver],
            service=rng.choice(ServiceType.values),
            reason="AdditionalServicesRequired",
            urgency=rng.choice(["urgent", "high", "routine"]),
            status=rng.choice(statuses),
            shared_parts=["name_age", "support_needed"],
            sent_at=sent_at,
        )
        referral.due_at = referral.due_after(sent_at)
        if referral.status == ReferralStatus.DECLINED:
            referral.decline_reason = "Full."
        referral.set_snapshot({"name_age": {"first_name": case.person.first_name}, "support_needed": "Help."})
        rows.append(referral)
    Referral.objects.bulk_create(rows, batch_size=2000)
    return orgs, [Actor.for_user(u) for u in workers]


def run() -> None:
    from django.core.paginator import Paginator
    from django.db import models

    from hifazat.referrals.hooks import worklist
    from hifazat.referrals.models import Referral, ReferralStatus
    from hifazat.referrals.selectors import for_lists, incoming_referrals
    from hifazat.referrals.services import referrals_mark_overdue

    rng = random.Random(SEED)
    started = time.perf_counter()
    orgs, actors = build(rng)
    size = f"{REFERRALS:,} referrals, {ORGANISATIONS} organisations"
    print(f"referrals built in {time.perf_counter() - started:.1f} s [{size}]", flush=True)

    org = orgs[0]
    baseline = measure(
        lambda: list(Referral.objects.filter(receiver_organisation=org).order_by()[:50]), repeat=100
    )

    awaiting_first = models.Case(
        models.When(status=ReferralStatus.SENT, then=models.Value(0)), default=models.Value(1)
    )

    def incoming_page():
        referrals = for_lists(incoming_referrals(actors[0])).order_by(awaiting_first, "due_at", "-sent_at")
        page = Paginator(referrals, 50).page(1)
        return page.paginator.count, list(page.object_list)

    report(
        "incoming list (first page of 50 and the count)",
        measure(incoming_page, repeat=100),
        baseline,
        size=f"{size}; {incoming_page()[0]:,} incoming",
    )
    report(
        "work list: the two referral sections",
        measure(lambda: worklist(actors[1]), repeat=100),
        baseline,
        size=size,
    )

    started = time.perf_counter()
    marked = referrals_mark_overdue()
    once = (time.perf_counter() - started) * 1000
    report(
        "overdue sweep, first run (marks the backlog; one run)",
        {"p50": once, "p95": once, "max": once},
        size=f"{marked:,} marked and notified",
    )
    report(
        "overdue sweep, nothing new (every hourly run)",
        measure(referrals_mark_overdue, repeat=50),
        baseline,
        size=size,
    )
    report("  baseline: 50 referrals of one receiver (indexed)", baseline)
