"""A police reporter reads their own report on a phone (360 × 740) in Urdu: the list holds only their report, the
page fits the screen, the phone number they wrote reads left to right, and nothing of the other reporter's report
in the same network shows (not its number, not the traces as that reporter wrote them, not the alert that links
them, not the outcome that names it). Nothing leaves 127.0.0.1; no script error, no Content-Security-Policy
violation."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import page_width, reads_left_to_right, sign_in, watch
from hifazat.monitoring import services
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"
PHONE = {"width": 360, "height": 740}
DAY = datetime.date(2006, 1, 10)


def test_a_reporter_reads_their_own_report_on_a_phone_in_urdu_and_nothing_of_another(
    live_server, page: Page
) -> None:
    org_a = make_organisation("Organisation A", hosts_system=True)
    org_b = make_organisation("Organisation B")
    focal = Actor.for_user(make_user(org_a, Role.MONITORING_FOCAL_POINT, "focalpoint"))
    reporter = make_user(org_a, Role.NETWORK_REPORTER, "reporter")
    other = make_user(org_b, Role.NETWORK_REPORTER, "reporter-b")
    services.reporter_register(actor=focal, user=reporter, kind="police")
    services.reporter_register(actor=focal, user=other, kind="journalist")
    h11, balakot = make_site(), make_site("MAN-BLK", "Balakot Relief Camp")
    theirs = services.report_submit(
        actor=Actor.for_user(other),
        kind="recruiter_seen",
        occurred_on=DAY - datetime.timedelta(days=3),
        description="A broker with a white van asks about widows.",
        site=balakot,
        traces={"phone": ["0333-7778899"], "name": ["Jamil Khan"], "plate": ["RIK-4455"]},
    )
    mine = services.report_submit(
        actor=Actor.for_user(reporter),
        kind="offer_work",
        occurred_on=DAY,
        description="گیٹ پر لڑکیوں کو فیکٹری میں کام کی پیشکش کی گئی۔",
        site=h11,
        traces={"phone": ["+92 333 7778899"], "name": ["Jameel Khan"]},
    )
    alert = mine.alerts.get(rule="shared_trace")
    services.report_close(
        actor=focal, report=mine, outcome="duplicate", note=f"The same broker as in {theirs.number}."
    )

    watched = watch(page)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, reporter, language="ur")

    page.goto(f"{live_server.url}/monitoring/reports/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main")).to_contain_text(mine.number)
    expect(page.locator("main")).not_to_contain_text(theirs.number)
    assert page_width(page) <= PHONE["width"]
    page.get_by_role("link", name=mine.number).click()

    main = page.locator("main")
    expect(page.locator("h1")).to_contain_text(mine.number)
    expect(main).to_contain_text("گیٹ پر لڑکیوں کو فیکٹری میں کام کی پیشکش کی گئی۔")
    expect(main).to_contain_text("+92 333 7778899")
    expect(main).to_contain_text("Jameel Khan")
    # The number and the phone as the reporter wrote them read left to right inside the Urdu page.
    for value in (mine.number, "+92 333 7778899", "2006-01-10"):
        assert reads_left_to_right(page, value), value
    # Nothing of the other report: its number, its traces as written there, the alert, the outcome.
    text = main.inner_text()
    for value in (
        theirs.number,
        "0333-7778899",
        "Jamil Khan",
        "RIK-4455",
        alert.number,
        "= ",
        "The same broker",
    ):
        assert value not in text, value
    assert page.locator(f"a[href*='{theirs.uuid}']").count() == 0
    assert page.locator("a[href*='/network/']").count() == 0
    assert page_width(page) <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "monitoring-reporter-urdu-phone.png"), full_page=True)
    # The other report's address is not found for them.
    assert page.request.get(f"{live_server.url}/monitoring/reports/{theirs.uuid}/").status == 404
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
