"""The analyst's journey in a real browser: opens the response dashboard, filters a district, sees the figures,
the map and the chart change, downloads the HXL export and checks what it holds; then the same page in Urdu at a
phone's width (360 px): no horizontal overflow, charts and map drawn, the zoom control on the left. Nothing leaves
127.0.0.1; no script error, no Content-Security-Policy violation."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.geography.models import AdminArea, Site
from hifazat.people import services as people
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"


def registry(caseworker) -> AdminArea:
    """23 women at H-11 (Islamabad) and 14 at Garhi Habibullah (Mansehra); returns Mansehra."""
    h11 = make_site()
    Site.objects.filter(pk=h11.pk).update(latitude=Decimal("33.656"), longitude=Decimal("72.987"))
    country = AdminArea.objects.get(pcode="PK")
    nwfp = AdminArea.objects.create(pcode="PK2", name="NWFP", name_ur="صوبہ سرحد", level=1, parent=country)
    mansehra = AdminArea.objects.create(
        pcode="PK201", name="Mansehra", name_ur="مانسہرہ", level=2, parent=nwfp
    )
    ghari = Site.objects.create(
        code="MAN-GHB",
        name="Garhi Habibullah",
        site_type="relief_camp",
        area=mansehra,
        latitude=Decimal("34.400"),
        longitude=Decimal("73.380"),
    )
    actor = Actor.for_user(caseworker)
    for site, count in ((h11, 23), (ghari, 14)):
        for n in range(count):
            household = people.household_register(actor=actor, site=site)
            people.person_register(
                actor=actor,
                household=household,
                first_name=f"{site.code}-{n}",
                gender="Feminine",
                age_years=30,
                marital_status="Widowed",
                relationship_to_head="head",
            )
    return mansehra


def test_an_analyst_filters_a_district_and_downloads_the_hxl_figures(
    live_server, page: Page, tmp_path
) -> None:
    org = make_organisation("IMPO", hosts_system=True)
    mansehra = registry(make_user(org, Role.CASEWORKER, "cw"))
    analyst = make_user(org, Role.ANALYST, "analyst")
    watched = watch(page)
    sign_in(page, live_server, analyst)
    page.goto(f"{live_server.url}/reporting/")
    expect(page.locator("#people-total")).to_have_text("40")  # 37, rounded
    chart = page.locator('[data-chart="over-time"]')
    expect(chart).to_have_attribute(
        "data-drawn",
        "People registered:40;Cases opened:0;Cases closed:0;Referrals sent:0;Alerts:0;People reached:0",
    )
    site_map = page.locator('[data-map="dashboard"]')
    expect(site_map).to_have_attribute("data-drawn", "Islamabad:20;Mansehra:10")
    # The base layer: the provinces' polygons, and a labelled circle per district.
    expect(site_map.locator("path.leaflet-interactive")).to_have_count(10)  # 8 provinces, 2 districts
    expect(site_map.locator(".hz-map-label")).to_have_count(2)
    expect(site_map.locator(".leaflet-top.leaflet-right .leaflet-control-zoom")).to_have_count(1)

    page.get_by_label("Area").select_option(label="Mansehra")
    expect(page.locator("#people-total")).to_have_text("10")
    expect(site_map).to_have_attribute("data-drawn", "Mansehra:10")
    expect(chart).to_have_attribute(
        "data-drawn",
        "People registered:10;Cases opened:0;Cases closed:0;Referrals sent:0;Alerts:0;People reached:0",
    )
    expect(page).to_have_url(re.compile(f"area={mansehra.uuid}"))
    page.screenshot(path=str(SCREENSHOTS / "reporting-dashboard-mansehra.png"), full_page=True)

    with page.expect_download() as download_info:
        page.locator("#hxl-csv").click()
    download = download_info.value
    assert download.suggested_filename.startswith("hifazat-dashboard-hxl-")
    target = tmp_path / "figures.csv"
    download.save_as(target)
    header, tags, *rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert header[0] == "Indicator code"
    assert tags[:3] == ["#indicator+code", "#indicator+name", "#indicator+category"]
    assert "#adm2+name" in tags and "#indicator+value+num" in tags
    registered = {row[5]: row[-1] for row in rows if row[0] == "people_registered" and not row[7]}
    assert registered == {"": "10", "Mansehra": "10"}  # the filter applied: Islamabad is not in the file
    assert all(row[-1] == "*" or int(row[-1]) % 10 == 0 for row in rows)
    assert (
        AuditEntry.objects.filter(user=analyst, action="export", object_type="reporting.dashboard").count()
        == 1
    )

    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems


def test_the_dashboard_in_urdu_on_a_phone(live_server, page: Page) -> None:
    org = make_organisation("IMPO", hosts_system=True)
    registry(make_user(org, Role.CASEWORKER, "cw"))
    analyst = make_user(org, Role.ANALYST, "analyst")
    watched = watch(page)
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, live_server, analyst, language="ur")
    page.goto(f"{live_server.url}/reporting/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    for chart in ("groups", "over-time", "bands", "screenings"):
        expect(page.locator(f'[data-chart="{chart}"]')).to_have_attribute("data-drawn", re.compile(r"\S"))
    site_map = page.locator('[data-map="dashboard"]')
    expect(site_map).to_have_attribute("data-drawn", "Islamabad:20;مانسہرہ:10")  # Mansehra by its Urdu name
    # Right to left: the zoom control moves to the left.
    expect(site_map.locator(".leaflet-top.leaflet-left .leaflet-control-zoom")).to_have_count(1)
    # Charts are drawn in the Naskh font, which the page has loaded.
    assert page.evaluate("document.fonts.check('12px \"Noto Naskh Arabic\"', 'اردو')")
    assert page.evaluate("Chart.defaults.font.family").startswith('"Noto Naskh Arabic"')
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    page.screenshot(path=str(SCREENSHOTS / "reporting-dashboard-urdu-360.png"), full_page=True)
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
