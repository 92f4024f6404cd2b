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
from playwright.sync_api import ConsoleMessage, Page, Route, expect

from hifazat.demo import scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = REPO_ROOT / "test-results" / "site-journey.png"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
H11_URDU = "ایچ الیون ریلیف کیمپ"


def _listed(title: str, lines: list[str]) -> str:
    return "\n  ".join([f"{title}:", *dict.fromkeys(lines)])


def test_caseworker_opens_a_camp_in_urdu_with_nothing_loaded_from_outside(live_server, page: Page) -> None:
    scenario.build(seed=2005)

    requested: list[str] = []
    outside: list[str] = []
    console_errors: list[str] = []
    csp_violations: list[str] = []
    page_errors: list[str] = []

    def route(route: Route) -> None:
        url = route.request.url
        requested.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        where = message.location.get("url", "")
        if "Content Security Policy" in text:
            csp_violations.append(f"{text} ({where})")
        elif message.type == "error":
            console_errors.append(f"{text} ({where})")

    page.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))

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

    assert requested, "no request was recorded: the routing check would prove nothing"
    assert outside == [], _listed("requests left the server", outside)
    assert csp_violations == [], _listed("Content-Security-Policy violations", csp_violations)
    assert console_errors == [], _listed("console errors", console_errors)
    assert page_errors == [], _listed("uncaught script errors", page_errors)
    # Leaflet drew the map: its container class and the markers of this camp and its neighbours.
    expect(site_map).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(site_map.locator("path.leaflet-interactive").first).to_be_attached()
