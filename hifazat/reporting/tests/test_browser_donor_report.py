"""The funder's journey in a real browser: the Government of Japan's donor viewer signs in, in Urdu on a phone
(360 px), opens the donor reports page, picks February to March 2006 for the campaign it funds and downloads the
Urdu PDF. The PDF is set in Nastaliq, and no count in it is under the threshold (the records behind it have
several). No horizontal overflow; nothing leaves 127.0.0.1; no script error, no Content-Security-Policy
violation; the download is audited."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from hifazat.campaigns import coverage
from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.people.testing import make_site

from .donor_testing import THRESHOLD, build_campaign
from .pdf_reading import counts_in, counts_under_threshold, pdf_fonts, pdf_text
from .test_donor_pdf import labels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"
PHONE = {"width": 360, "height": 780}


def records() -> SimpleNamespace:
    """The donor report tests' campaign (``donor_testing``), outside a test case class."""
    org = make_organisation("Organisation A", hosts_system=True)
    funder = make_organisation("Government of Japan", org_type="Donor")
    case = SimpleNamespace(
        org_a=org,
        a={role: make_user(org, role, f"a-{role}") for role in (Role.CAMPAIGN_COORDINATOR, Role.CASEWORKER)},
        funder=funder,
        donor=make_user(funder, Role.DONOR_VIEWER, "gov-japan"),
        h11=make_site(),
        actor=lambda _case, user: Actor.for_user(user),
    )
    build_campaign(case)
    return case


def test_a_donor_downloads_the_urdu_report_on_a_phone(live_server, page: Page) -> None:
    case = records()
    exact = coverage.campaign_figures(case.campaign_)
    assert any(
        0 < s.people.registered < THRESHOLD for s in exact.sites
    )  # small cells exist behind the report
    watched = watch(page)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, case.donor, language="ur")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="عطیہ دہندگان کے لیے رپورٹیں").first.click()
    expect(page).to_have_url(f"{live_server.url}/reporting/donor/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("عطیہ دہندگان کے لیے رپورٹیں")
    card = page.locator(f"#report-{case.campaign_.uuid}")
    expect(card).to_contain_text("Safe Futures")
    card.locator("input[name=start]").fill("2006-02")
    card.locator("input[name=end]").fill("2006-03")
    expect(card.locator("select[name=language]")).to_have_value("ur")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reporting-donor-reports-urdu-360.png"), full_page=True)

    with page.expect_download() as info:
        card.get_by_role("button", name="پی ڈی ایف ڈاؤن لوڈ کریں").click()
    download = info.value
    assert download.suggested_filename.endswith("-2006-02_2006-03-ur.pdf"), download.suggested_filename
    content = Path(download.path()).read_bytes()

    assert content.startswith(b"%PDF-")
    assert any(name.startswith("Noto-Nastaliq-Urdu") for name in pdf_fonts(content)), pdf_fonts(content)
    text = pdf_text(content)
    assert "رپورٹ" in text
    assert len(counts_in(text)) > 20
    assert counts_under_threshold(text, threshold=THRESHOLD, labels=labels("ur")) == []
    entry = AuditEntry.objects.get(user=case.donor, action=AuditEntry.Action.EXPORT)
    assert (entry.object_uuid, entry.detail["language"]) == (case.campaign_.uuid, "ur")

    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
