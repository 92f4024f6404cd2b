"""A caseworker's journey in a real browser: sign in, switch to Urdu, open a camp and its map.

It drives Debian's chromium (see conftest.py at the repository root) against pytest-django's live server, and
proves that the pages load nothing from outside the server, log no script error and break no
Content-Security-Policy rule.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.testing_browser import watch
from hifazat.demo import scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = REPO_ROOT / "test-results" / "site-journey.png"
H11_URDU = "ایچ الیون ریلیف کیمپ"


def _listed(title: str, lines: list[str]) -> str:
    return "\n  ".join([f"{title}:", *dict.fromkeys(lines)])


def test_caseworker_opens_a_camp_in_urdu_with_nothing_loaded_from_outside(live_server, page: Page) -> None:
    scenario.build(seed=2005)

    watched = watch(page)

    # Sign in as the caseworker, who needs no second factor.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("caseworker")
    page.get_by_label("Password").fill(scenario.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    assert urlsplit(page.url).path == "/"

    # Switch to Urdu: the whole page turns right to left.
    page.get_by_role("button", name="اردو").click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ur")
    expect(html).to_have_attribute("dir", "rtl")

    # The sites list shows the H-11 camp by its Urdu name.
    page.goto(live_server.url + "/sites/")
    expect(html).to_have_attribute("dir", "rtl")
    camp = page.get_by_role("link", name=H11_URDU, exact=True)
    expect(camp).to_be_visible()
    expect(page.locator("tr", has=camp)).to_contain_text("ISB-H11")

    # Its page has the map element; Leaflet draws into it on DOMContentLoaded, so by "load" it is drawn.
    camp.click()
    expect(page).to_have_url(re.compile(r"/sites/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(H11_URDU)
    site_map = page.locator("#site-map")
    expect(site_map).to_be_visible()
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    assert watched.requested, "no request was recorded: the routing check would prove nothing"
    assert watched.outside == [], _listed("requests left the server", watched.outside)
    assert watched.problems == [], _listed(
        "script errors or Content-Security-Policy violations", watched.problems
    )
    # Leaflet drew the map: its container class and the markers of this camp and its neighbours.
    expect(site_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(site_map.locator("path.leaflet-interactive").first).to_be_attached()
