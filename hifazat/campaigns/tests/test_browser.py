"""A coordinator creates a campaign for widowed single parents at two camps, records a session with registered
attendees found by name (htmx), sees the coverage rise and the charts drawn, opens the gap list, and checks the
public page in Urdu. No script error and no Content-Security-Policy violation; nothing loads from outside."""

from __future__ import annotations

import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page, expect

from hifazat.campaigns import services
from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in
from hifazat.people import services as people
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"
URDU_TEXT = "دور دراز نوکری اور پیشگی رقم خطرے کی علامت ہے۔"


def widowed_parent(actor, site, name: str):
    household = people.household_register(actor=actor, site=site)
    parent = people.person_register(
        actor=actor,
        household=household,
        first_name=name,
        second_name="Bibi",
        gender="Feminine",
        marital_status="Widowed",
        age_years=34,
        relationship_to_head="head",
    )
    people.person_register(
        actor=actor,
        household=household,
        first_name="Bilal",
        gender="Masculine",
        age_years=7,
        relationship_to_head="child",
        consent_given_by="caregiver",
        consent_given_by_name=name,
        child_view="not_able",
    )
    return parent


def public_message_in_urdu(organisation, coordinator_user, site) -> None:
    """An earlier campaign's approved public text, written by the coordinator and approved by a supervisor."""
    supervisor = Actor.for_user(make_user(organisation, Role.SUPERVISOR, "supervisor"))
    coordinator = Actor.for_user(coordinator_user)
    earlier = services.campaign_create(
        actor=coordinator,
        name="Earlier campaign",
        objective="x",
        starts_on=datetime.date(2005, 12, 1),
        sites=[site],
        target_groups=["separated_or_widowed_woman"],
    )
    message = services.key_message_create(
        actor=coordinator, campaign=earlier, title="Work", topic="work_offers"
    )
    version = services.version_write(
        actor=coordinator, message=message, language="urd", channel="public", text=URDU_TEXT, submit=True
    )
    services.version_review(actor=supervisor, version=version, approve=True)


def test_a_coordinator_records_a_session_and_closes_part_of_the_gap(live_server, page: Page) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    coordinator = make_user(organisation, Role.CAMPAIGN_COORDINATOR, "coordinator")
    caseworker = Actor.for_user(make_user(organisation, Role.CASEWORKER, "caseworker"))
    h11, balakot = make_site(), make_site("MAN-BLK", "Balakot Relief Camp")
    widowed_parent(caseworker, h11, "Nasreen")
    widowed_parent(caseworker, h11, "Zainab")
    widowed_parent(caseworker, balakot, "Fatima")
    public_message_in_urdu(organisation, coordinator, h11)

    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: problems.append(response.url) if response.status >= 400 else None)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).hostname not in {"127.0.0.1", "localhost"}
            else None
        ),
    )
    sign_in(page, live_server, coordinator)

    page.goto(f"{live_server.url}/campaigns/")
    page.get_by_role("link", name="New campaign").click()
    page.fill("#id_name", "Widowed parents, spring 2006")
    page.fill("#id_objective", "Reach every widowed single parent at H-11 and Balakot.")
    page.fill("#id_starts_on", "2006-01-15")
    page.fill("#id_ends_on", "2006-06-30")
    page.select_option("#id_sites", [str(h11.uuid), str(balakot.uuid)])
    page.get_by_label("Widowed single parent").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Widowed parents, spring 2006")
    expect(page.locator("#total-registered")).to_have_text("3")
    expect(page.locator("#total-reached")).to_have_text("0")

    page.get_by_role("link", name="Activities").click()
    page.get_by_role("link", name="Record a session").click()
    page.select_option("#id_site", str(h11.uuid))
    page.fill("#id_held_on", "2006-02-03")
    page.fill("#id_female_18_59", "12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("H-11 Relief Camp")

    for name in ("Nasreen", "Zainab"):
        page.fill("#id_q", name)
        row = page.locator("#found li", has_text=f"{name} Bibi")
        expect(row).to_be_visible()  # found by htmx as the name is typed
        row.get_by_placeholder("before").fill("2")
        row.get_by_placeholder("after").fill("5")
        row.get_by_role("button", name="Add to the register").click()
        expect(page.locator("#attendees")).to_contain_text(f"{name} Bibi")

    page.get_by_role("link", name="Overview and coverage").click()
    expect(page.locator("#total-reached")).to_have_text("2")
    expect(page.locator("#total-share")).to_have_text("67%")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-sites') !== undefined")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "campaign-coverage.png"), full_page=True)

    page.get_by_role("link", name="Not yet reached").click()
    expect(page.locator("#gaps")).to_contain_text("Fatima Bibi")
    expect(page.locator("#gaps")).not_to_contain_text("Nasreen")
    page.select_option("#id_site", str(h11.uuid))  # htmx filter
    expect(page.locator("#gap-rows")).to_contain_text(
        "Everyone you may see in the target groups has been reached."
    )

    # The campaign page in Urdu: right to left, charts drawn with their labels in Urdu.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ur", "url": live_server.url}])
    page.goto(page.url.split("gaps/")[0])
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-groups') !== undefined")
    page.screenshot(path=str(SCREENSHOTS / "campaign-coverage-ur.png"), full_page=True)

    page.goto(f"{live_server.url}/awareness/?lang=ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("انسانی اسمگلروں سے محفوظ رہیں")
    expect(page.locator("main")).to_contain_text(URDU_TEXT)
    page.screenshot(path=str(SCREENSHOTS / "campaign-public-ur.png"), full_page=True)
    assert problems == [], problems
    assert outside == [], outside
