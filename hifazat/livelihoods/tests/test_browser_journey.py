"""The livelihood journey in a real browser: a livelihood officer creates a programme and its priority rule, sees
the ranked list with each household's reasons, enrols the top three, records a grant and a follow-up visit, and
sees the outcome chart change: its data block and the values Chart.js drew. Nothing leaves 127.0.0.1; no script
error, no Content-Security-Policy violation."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.people import services as people
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"


def registry(caseworker) -> None:
    """Five households: three widows with children (one screened urgent... by rank: the widows first), a couple,
    and a woman alone."""
    site = make_site()
    actor = Actor.for_user(caseworker)
    for shelter, name, marital, children in (
        ("T-1", "Zarina", "Single", 0),
        ("T-2", "Nasreen", "Widowed", 2),
        ("T-3", "Parveen", "Married", 1),
        ("T-4", "Shazia", "Widowed", 1),
        ("T-5", "Rukhsana", "Widowed", 3),
    ):
        household = people.household_register(actor=actor, site=site, shelter_number=shelter)
        people.person_register(
            actor=actor,
            household=household,
            first_name=name,
            gender="Feminine",
            age_years=34,
            marital_status=marital,
            relationship_to_head="head",
        )
        for n in range(children):
            people.person_register(
                actor=actor,
                household=household,
                first_name=f"{name} child {n}",
                gender="Masculine",
                age_years=7,
                relationship_to_head="child",
                consent_given_by="caregiver",
                consent_given_by_name=name,
                child_view="agrees",
            )


def chart(page: Page) -> dict:
    return json.loads(page.locator("#outcome-chart-data").text_content())


def drawn(page: Page) -> dict:
    canvas = page.locator("#outcome-chart")
    expect(canvas).to_have_attribute("data-drawn", re.compile("income"))
    return json.loads(canvas.get_attribute("data-drawn"))


def test_create_rank_enrol_support_follow_up_and_see_the_chart_change(live_server, page: Page) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    officer = make_user(organisation, Role.LIVELIHOOD_OFFICER, "livelihoods")
    registry(make_user(organisation, Role.CASEWORKER, "caseworker"))
    watched = watch(page)
    sign_in(page, live_server, officer)
    today = timezone.localdate()

    # The programme and its rule.
    page.goto(f"{live_server.url}/livelihoods/")
    page.get_by_role("link", name="New programme").click()
    page.locator("#id_name").fill("Tailoring and embroidery")  # its label also begins "Name in Urdu"
    page.get_by_label("Kind").select_option(label="Vocational training")
    page.get_by_label("Places").fill("10")
    page.get_by_label("Budget per participant").fill("25000")
    page.get_by_label("Starts on").fill((today - datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Ends on").fill((today + datetime.timedelta(days=180)).isoformat())
    page.get_by_label("Follow-up visits, in months after enrolment").fill("3, 6")
    page.get_by_role("button", name="Create the programme").click()
    expect(page.locator("main")).to_contain_text("The programme is created.")
    page.get_by_role("link", name="Add a rule").click()
    page.get_by_label("Purpose").select_option(label="Who comes first")
    page.get_by_label("Condition").select_option(label="Vulnerability group of a member")
    page.get_by_label("Vulnerability groups").select_option(label="Widowed single parent")
    page.get_by_role("button", name="Add the rule").click()
    expect(page.locator("#rules-title + ul + ol")).to_contain_text(
        "Priority 1: households with a member in the group “Widowed single parent”."
    )
    programme_url = page.url
    before = chart(page)
    assert before["income"] == [None, None, None]

    # The ranked list: the three widowed mothers first, each with the rule that put her there.
    page.get_by_role("link", name="Ranked list").click()
    rows = page.locator("#ranking-table tbody tr")
    expect(rows).to_have_count(5)
    for n, name in enumerate(["Nasreen", "Shazia", "Rukhsana"]):
        expect(rows.nth(n)).to_contain_text(name)
        expect(rows.nth(n)).to_contain_text(
            "Priority 1: households with a member in the group “Widowed single parent”."
        )
    expect(rows.nth(3)).to_contain_text("Eligible; meets no priority rule")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "livelihoods-ranking.png"), full_page=True)

    # Enrol the top three, in rank order (no departure, so no reason is asked).
    for n, name in enumerate(["Nasreen", "Shazia", "Rukhsana"]):
        page.locator("#ranking-table tbody tr").nth(n).get_by_role("link", name="Enrol").click()
        expect(page.locator("#id_person")).to_contain_text(name)
        page.get_by_label(re.compile("agrees to take part")).check()
        page.get_by_label("Household income per month now, before the programme").fill(str(3000 + 1000 * n))
        page.get_by_role("button", name="Enrol").click()
        expect(page.locator("main")).to_contain_text(f"{name} is enrolled.")
    expect(page.locator("#ranking-table tbody tr").nth(2)).to_contain_text("Taking part")

    page.goto(programme_url)
    after_enrolment = chart(page)
    assert after_enrolment["income"][0] == 4000.0  # the median income before, of 3,000, 4,000 and 5,000
    assert drawn(page)["income"] == after_enrolment["income"]

    # A grant for Nasreen, verified by the officer; then her three-month follow-up visit.
    page.get_by_role("link", name="Nasreen").click()
    page.get_by_role("link", name="Record support").click()
    page.get_by_label("Kind").select_option(label="Cash grant")
    page.get_by_label("Amount or value").fill("15000")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("#budget-total")).to_contain_text("15000.00 of 25000.00 PKR")
    page.get_by_role("link", name="Record the visit").first.click()
    page.get_by_label("Household income per month now").fill("8000")
    page.get_by_label("Is the activity still running?").select_option(label="Yes")
    page.get_by_label("Work").select_option(label="Own activity or business")
    page.get_by_role("button", name="Record the visit").click()
    expect(page.locator("main")).to_contain_text("The follow-up visit is recorded.")

    # The chart changed: a three-month point now, in the data block and in what Chart.js drew.
    page.goto(programme_url)
    changed = chart(page)
    assert changed["income"] == [4000.0, 8000.0, None]
    assert changed["running"] == [None, 100.0, None]
    assert drawn(page) == {"income": changed["income"], "running": changed["running"]}
    assert page.evaluate("Chart.getChart('outcome-chart').data.datasets[0].data") == [4000, 8000, None]
    page.screenshot(path=str(SCREENSHOTS / "livelihoods-outcomes.png"), full_page=True)
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
