"""Export benchmarks, at 50,000 cases of one organisation (``HIFAZAT_BENCH_EXPORT_CASES`` to change) on SQLite.

1. The HTCDS case export, the whole background job's work: read each person's latest case with their consent in
   force, generalise and suppress to k = 10, write the XLSX with its README. Baseline: reading the same case rows
   with a plain query.
2. The same as CSV in a ZIP.
3. Who does what where (HXL) over 300 service points in 60 districts, as XLSX. Baseline: listing the providers.

People are spread over 60 districts of 6 provinces, six age bands, three genders, five marital statuses and two
years; 90% gave consent to anonymised use. Rows are written with ``bulk_create``. Target: the case export well
inside a background job's minutes (under 60 s at 50,000), the 3W table under 1 s.
"""

from __future__ import annotations

import datetime
import os
import random

from bench.timing import measure, report

CASES = int(os.environ.get("HIFAZAT_BENCH_EXPORT_CASES", "50000"))


def build():
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.cases.models import Case
    from hifazat.geography.models import AdminArea, Site
    from hifazat.people.models import Consent, ConsentPurpose, Household, Person
    from hifazat.referrals.models import ProvidedService, ServiceProvider

    rng = random.Random(2005)
    org = Organisation.objects.create(name="Bench org", short_name="BENCH", org_type="NGO", hosts_system=True)
    analyst = User.objects.create(username="bench-analyst")
    Membership.objects.create(user=analyst, organisation=org, role="analyst")
    country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
    provinces = [
        AdminArea.objects.create(pcode=f"PK{p}", name=f"Province {p}", level=1, parent=country)
        for p in range(1, 7)
    ]
    districts = [
        AdminArea.objects.create(
            pcode=f"{prov.pcode}{d:02d}", name=f"District {prov.pcode}{d:02d}", level=2, parent=prov
        )
        for prov in provinces
        for d in range(1, 11)
    ]
    sites = Site.objects.bulk_create(
        Site(code=f"S-{n}", name=f"Camp {n}", site_type="relief_camp", area=district)
        for n, district in enumerate(districts)
    )
    households = Household.objects.bulk_create(
        Household(organisation=org, site=sites[i % len(sites)], shelter_number=f"T-{i}") for i in range(CASES)
    )
    ages = [3, 8, 15, 20, 35, 65]
    people = Person.objects.bulk_create(
        Person(
            organisation=org,
            household=households[i],
            first_name=f"Person {i}",
            gender=rng.choices(["Feminine", "Masculine", "NonConforming"], weights=[60, 39, 1])[0],
            marital_status=rng.choice(["Single", "Married", "Widowed", "Divorced", "Separated"]),
            birthdate=datetime.date(2006 - rng.choice(ages), 1 + i % 12, 1 + i % 28),
            citizenship="PK" if i % 50 else "AF",
        )
        for i in range(CASES)
    )
    Case.objects.bulk_create(
        Case(
            organisation=org,
            number=f"BENCH-{i + 1:06d}",
            person=person,
            owner=analyst,
            origin="walk_in",
            opened_on=datetime.date(2005 + i % 2, 1 + i % 12, 1 + i % 28),
            exploitation_types=rng.sample(
                ["ForcedLabour", "SexualExploitation", "ForcedMarriage"], k=1 + i % 2
            ),
            methods_of_control=["FalsePromises"] if i % 3 else [],
        )
        for i, person in enumerate(people)
    )
    Consent.objects.bulk_create(
        Consent(
            person=person, purpose=ConsentPurpose.ANONYMISED_DATA, status="given" if i % 10 else "declined"
        )
        for i, person in enumerate(people)
    )
    providers = ServiceProvider.objects.bulk_create(
        ServiceProvider(organisation=org, name=f"Service point {n}") for n in range(300)
    )
    ProvidedService.objects.bulk_create(
        ProvidedService(provider=p, service=s) for p in providers for s in ("medical", "psychosocial")
    )
    for n, provider in enumerate(providers):
        provider.areas.set([districts[n % len(districts)]])
    return analyst


def run() -> None:
    from hifazat.core.audit import Actor
    from hifazat.referrals.models import ServiceProvider
    from hifazat.reporting import htcds, hxl

    actor = Actor.for_user(build())
    size = f"{CASES} cases, k=10"
    summaries = []

    def xlsx():
        summaries.append(htcds.build(actor, k=10, file_format="xlsx")[1])

    whole = measure(xlsx, repeat=3, warmup=0)
    plain = measure(
        lambda: sum(1 for _ in htcds.latest_per_person(htcds.cases_for_export(actor))), repeat=3, warmup=0
    )
    report("HTCDS case export as XLSX (read, k-anonymise, write)", whole, plain, size=size)
    report("  baseline: reading the cases' rows", plain)
    zipped = measure(lambda: htcds.build(actor, k=10, file_format="csv"), repeat=3, warmup=0)
    report("HTCDS case export as CSV in a ZIP", zipped, plain, size=size)
    summary = summaries[-1]
    print(
        f"  rows {summary.rows}, left out as rare {summary.suppressed}, without consent {summary.without_consent}, "
        f"levels {summary.levels}",
        flush=True,
    )

    table = measure(lambda: hxl.table(actor, public=True), repeat=10)
    listing = measure(lambda: list(ServiceProvider.objects.all()), repeat=10)
    report("who does what where (HXL), publication", table, listing, size="300 service points, 60 districts")
    report("  baseline: listing the providers", listing)
