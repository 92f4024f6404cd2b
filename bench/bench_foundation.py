"""Foundation benchmarks.

1. The sites list page (scoped query with the newest population per site, 25 rows, rendered), at 2,000 sites
   with 10 population counts each; baseline: the same page's rows fetched by a plain query without scoping or
   population, so the ratio shows what scoping, joins and the subquery cost.
2. A write through a service (site_update with full_clean and its audit entry) against a bare ``save()``: the
   price of validation and audit on every write.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import Client

from bench.timing import measure, report

SITES = 2_000
COUNTS_PER_SITE = 10


def build():
    from hifazat.accounts.models import Membership, Organisation, User
    from hifazat.core.audit import Actor
    from hifazat.geography.models import AdminArea, Site, SitePopulation

    org = Organisation.objects.create(name="Bench org", org_type="NGO", hosts_system=True)
    user = User.objects.create(username="bench-caseworker")
    Membership.objects.create(user=user, organisation=org, role="caseworker")
    admin = User.objects.create(username="bench-admin")
    Membership.objects.create(user=admin, organisation=org, role="administrator")
    country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
    province = AdminArea.objects.create(pcode="PK2", name="NWFP", level=1, parent=country)
    districts = [
        AdminArea.objects.create(pcode=f"PK2{i:02d}", name=f"District {i}", level=2, parent=province)
        for i in range(20)
    ]
    Site.objects.bulk_create(
        Site(
            code=f"S{i:05d}",
            name=f"Camp {i:05d}",
            site_type="relief_camp",
            area=districts[i % 20],
            latitude=Decimal("34.0") + Decimal(i) / 10000,
            longitude=Decimal("73.0"),
            managing_organisation=org,
        )
        for i in range(SITES)
    )
    start = datetime.date(2005, 10, 15)
    SitePopulation.objects.bulk_create(
        SitePopulation(
            site_id=site_id, counted_on=start + datetime.timedelta(days=14 * n), individuals=1000 + n
        )
        for site_id in Site.objects.values_list("id", flat=True)
        for n in range(COUNTS_PER_SITE)
    )
    return user, Actor.for_user(admin), Site


def run() -> None:
    user, admin_actor, Site = build()
    from hifazat.geography import services

    client = Client()
    client.force_login(user)
    page = measure(lambda: client.get("/sites/?q=Camp&page=40"), repeat=60)
    plain = measure(lambda: list(Site.objects.order_by("name")[975:1000]), repeat=60)
    report(
        "sites list page (scoped, population, rendered)",
        page,
        plain,
        size=f"{SITES} sites, {SITES * COUNTS_PER_SITE} counts",
    )
    report("  baseline: one page of rows, plain query", plain)

    site = Site.objects.get(code="S00001")
    counter = iter(range(10**9))
    service = measure(
        lambda: services.site_update(actor=admin_actor, site=site, capacity=next(counter)), repeat=200
    )

    def bare():
        site.capacity = next(counter)
        site.save()

    baseline = measure(bare, repeat=200)
    report("site_update (full_clean + audit entry)", service, baseline, size="one site")
    report("  baseline: bare save()", baseline)
