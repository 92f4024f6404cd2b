"""A tipster on a small phone (360 px) sends an anonymous tip in English, switches the page to Urdu (right to left),
and sends another in Urdu. Chromium posts the form with ``Origin: null`` (the page sends no referrer) and without
any cookie; both tips reach the focal point's triage list, and the phone holds no cookie afterwards. The proof of
work takes a fraction of a second. No script error, no Content-Security-Policy violation, nothing from outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.monitoring import tips
from hifazat.monitoring.models import Report
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"
PHONE = {"width": 360, "height": 740}
ENGLISH_TIP = "A man at the water point offers the girls work in a Lahore factory."
URDU_TIP = "پانی کے نل پر ایک آدمی لڑکیوں کو لاہور کی فیکٹری میں کام کی پیشکش کرتا ہے۔"


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def wait_as_a_person_would(page: Page) -> None:
    # The server refuses a form sent sooner than a person could fill it in (tips.MIN_FILL_SECONDS).
    page.wait_for_timeout(tips.MIN_FILL_SECONDS * 1000 + 300)


def test_a_tipster_sends_tips_in_english_and_urdu_from_a_phone_and_keeps_no_cookie(
    live_server, page: Page
) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    focal = make_user(organisation, Role.MONITORING_FOCAL_POINT, "focalpoint")
    site = make_site()

    watched = watch(page)
    posts = []
    page.on("request", lambda r: posts.append(r.all_headers()) if r.method == "POST" else None)
    page.set_viewport_size(PHONE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # In English.
    page.goto(f"{live_server.url}/tip/")
    expect(page.locator("h1")).to_have_text("Tell us, safely")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    fits_the_screen(page)
    took = page.evaluate(
        "() => { const t = performance.now(); window.hifazatTipWork("
        "document.querySelector('[name=token]').value, parseInt(document.forms[0].dataset.workBits, 10));"
        " return performance.now() - t; }"
    )
    assert took < 1000, f"the proof of work took {took:.0f} ms"
    page.get_by_label("What is it about?").select_option("offer_work")
    page.get_by_label("What did you see or hear?").fill(ENGLISH_TIP)
    page.get_by_label("Camp or place").select_option(label="H-11 Relief Camp")
    page.get_by_label("Phone numbers you were given").fill("0300-1234567")
    page.screenshot(path=str(SCREENSHOTS / "monitoring-tip-en.png"), full_page=True)
    wait_as_a_person_would(page)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("h1")).to_have_text("Thank you")

    # The other tip, in Urdu: back to the form, then the language link on the page.
    page.get_by_role("link", name="Send another tip").click()
    page.get_by_role("link", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("h1")).not_to_have_text("Tell us, safely")
    fits_the_screen(page)
    page.locator("#id_kind").select_option("child_leaving")
    page.locator("#id_description").fill(URDU_TIP)
    page.locator("#id_site").select_option(str(site.uuid))
    page.screenshot(path=str(SCREENSHOTS / "monitoring-tip-ur.png"), full_page=True)
    wait_as_a_person_would(page)
    page.locator("#tip-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/tip/thanks/?lang=ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("link", name="English")).to_be_visible()
    fits_the_screen(page)

    # Chromium sent both tips as it sends forms from a no-referrer page, and kept nothing.
    assert len(posts) == 2
    for headers in posts:
        assert headers.get("origin") == "null"
        assert "referer" not in headers
        assert "cookie" not in headers
    assert page.context.cookies() == []
    assert watched.outside == [] and watched.problems == []

    tips_in = {r.description: r for r in Report.objects.filter(source="tip")}
    assert set(tips_in) == {ENGLISH_TIP, URDU_TIP}
    assert all(r.is_anonymous and r.site == site for r in tips_in.values())

    # Both are in the focal point's triage list.
    sign_in(page, live_server, focal)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/monitoring/reports/?source=tip")
    for report in tips_in.values():
        expect(page.locator("main")).to_contain_text(report.number)
