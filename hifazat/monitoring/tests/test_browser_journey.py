"""The monitoring journey in a real browser: a reporter at the H-11 camp reports a recruiter whose phone number
was already reported at Balakot; the focal point sees the alert, opens the network around the report, links the
girl the report names to her registry record and opens a case from the report. Nothing leaves 127.0.0.1; no
script error, no Content-Security-Policy violation."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.monitoring import services
from hifazat.monitoring.testing import register
from hifazat.people import services as people
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"


def test_a_phone_seen_at_another_camp_raises_an_alert_and_the_focal_point_opens_a_case(
    live_server, page: Page
) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    focal = make_user(organisation, Role.MONITORING_FOCAL_POINT, "focalpoint")
    reporter = make_user(organisation, Role.NETWORK_REPORTER, "reporter")
    colleague = make_user(organisation, Role.NETWORK_REPORTER, "reporter-balakot")
    caseworker = make_user(organisation, Role.CASEWORKER, "caseworker")
    h11, balakot = make_site(), make_site("MAN-BLK", "Balakot Relief Camp")
    for user, kind in ((reporter, "medical_staff"), (colleague, "police")):
        services.reporter_register(actor=Actor.for_user(focal), user=user, kind=kind)
    services.report_submit(
        actor=Actor.for_user(colleague),
        kind="recruiter_seen",
        occurred_on=datetime.date(2006, 1, 3),
        description="A man offering maid's work in Lahore.",
        site=balakot,
        traces={"phone": ["0300-1234567"]},
    )
    household = people.household_register(actor=Actor.for_user(caseworker), site=h11, shelter_number="T-4")
    register(Actor.for_user(caseworker), household, "Shazia", "Bibi", age=16, relationship_to_head="child")

    watched = watch(page)

    # The reporter, on a phone-sized screen.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, reporter)
    page.goto(f"{live_server.url}/monitoring/reports/new/")
    page.get_by_label("What did you see?").select_option(label="Recruiter seen")
    page.locator("#id_occurred_on").fill("2006-01-10")
    page.get_by_label("Site").select_option(label="H-11 Relief Camp")
    page.get_by_label("What happened").fill(
        "A man asked which girls lost their fathers and offered them work."
    )
    page.get_by_label("Name of the person at risk, if known").fill("Shazia Bibi")
    page.get_by_label("Phone numbers").fill("+92 300 1234567")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("main")).to_contain_text("Your report A-R-2006-0002 is recorded.")
    expect(page.locator("main")).not_to_contain_text("Alerts")  # a reporter does not see the alerts
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "monitoring-report.png"), full_page=True)

    # The focal point sees the alert.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, focal)
    page.goto(f"{live_server.url}/monitoring/alerts/")
    row = page.locator("tr", has_text="The same trace in reports from several sites")
    expect(row).to_contain_text("Balakot Relief Camp, H-11 Relief Camp")
    row.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("Named in reports from 2 sites within 30 days")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("main")).to_contain_text("The alert is acknowledged.")

    # The network around the new report: both reports and the shared phone number.
    page.locator("tr", has_text="A-R-2006-0002").get_by_role("link", name="Network").click()
    graph = page.locator("#network-graph")
    expect(graph).to_be_visible()
    expect(graph.locator("text", has_text="A-R-2006-0001")).to_have_count(1)
    expect(graph.locator("text", has_text="0300-1234567")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "monitoring-network.png"), full_page=True)

    # The report names a girl who is registered: link her, then open a case from the report.
    page.get_by_role("link", name="A-R-2006-0002").first.click()
    page.get_by_role("link", name="Link to a registered person").click()
    page.get_by_role("button", name="Link Shazia Bibi").click()
    expect(page.locator("main")).to_contain_text("The registered person is linked to the report.")
    # The girl the report described is now the registered girl, not a second person.
    involved = page.locator("main li", has_text="Person targeted or at risk")
    expect(involved).to_have_count(1)
    expect(involved).to_contain_text("registered")
    # Focal points open cases from reports.
    page.reload()
    page.get_by_text("Open a case", exact=True).click()
    page.locator("#id_person").select_option(label="Shazia Bibi")
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator("main")).to_contain_text(re.compile(r"Case A-\d{4}-0001 is opened\."))
    expect(page.locator("main")).to_contain_text("Opened a case")
    page.screenshot(path=str(SCREENSHOTS / "monitoring-case.png"), full_page=True)
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
