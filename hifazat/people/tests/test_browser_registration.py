"""The registry journey in a real browser: a caseworker registers a household with a widowed mother and two
children, is warned when the mother is registered again under another spelling, screens her (urgent), and finds
the follow-up in the queue. Nothing leaves 127.0.0.1; no script error, no Content-Security-Policy violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"


def register(
    page: Page,
    *,
    first: str,
    second: str = "",
    gender: str,
    age: str,
    relationship: str,
    marital: str = "",
    parentage: str = "",
    child: bool = False,
) -> None:
    page.get_by_label("First name (Latin letters)").fill(first)
    page.get_by_label("Family name (Latin letters)").fill(second)
    page.get_by_label("Gender").select_option(label=gender)
    page.get_by_label("Age in years, if the date is not known").fill(age)
    page.get_by_label("Relationship to the head of household").select_option(label=relationship)
    if marital:
        page.get_by_label("Marital status").select_option(label=marital)
    if parentage:
        page.get_by_label("Son, daughter or wife of").select_option(label=parentage[0])
        page.get_by_label("Father's or husband's name", exact=True).fill(parentage[1])
    if child:
        page.get_by_label("Consent to registration given by").select_option(label="Caregiver")
        page.get_by_label("Name of the caregiver or guardian").fill("Nasreen Bibi")
        page.get_by_label("For a child: their own view").select_option(label="The child agrees")
    page.get_by_role("button", name=re.compile("Register")).click()


def test_register_a_widowed_mother_and_children_catch_a_duplicate_and_screen(live_server, page: Page) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    user = make_user(organisation, Role.CASEWORKER, "caseworker")
    site = make_site()
    make_site(code="ISB-I11", name="I-11 Collective Centre")
    watched = watch(page)
    sign_in(page, live_server, user)

    page.goto(f"{live_server.url}/households/new/")
    page.get_by_label("Site").select_option(label=site.name)
    page.get_by_label("Shelter or tent number").fill("T-14")
    page.get_by_role("button", name="Register and add members").click()
    register(
        page,
        first="Nasreen",
        second="Bibi",
        gender="Female",
        age="32",
        relationship="Head of household",
        marital="Widowed",
        parentage=("wife of", "Muhammad Rashid"),
    )
    expect(page.locator("main")).to_contain_text("Nasreen Bibi is registered.")
    page.get_by_role("link", name="Register a member").click()
    register(page, first="Ayesha", gender="Female", age="9", relationship="Son or daughter", child=True)
    page.get_by_role("link", name="Register a member").click()
    register(page, first="Bilal", gender="Male", age="6", relationship="Son or daughter", child=True)
    expect(page.locator("main")).to_contain_text("Widowed single parent")

    # Another registrar, at another site, writes her name another way.
    page.goto(f"{live_server.url}/households/new/")
    page.get_by_label("Site").select_option(label="I-11 Collective Centre")
    page.get_by_role("button", name="Register and add members").click()
    register(
        page,
        first="Nasrin",
        second="Bibi",
        gender="Female",
        age="33",
        relationship="Head of household",
        marital="Widowed",
        parentage=("wife of", "Mohd Rashid"),
    )
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("This person may already be registered")
    expect(warning).to_contain_text("Nasreen Bibi")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "registration-duplicate.png"), full_page=True)
    warning.get_by_role("link", name="Nasreen Bibi").click()

    # Consent to screening, then the screening, section by section.
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Purpose").select_option(label="Risk screening")
    page.get_by_label("Decision").select_option(label="Given")
    page.get_by_role("button", name="Record").click()
    page.get_by_role("link", name="Risk screening").click()
    # Sections and questions that do not apply (skip logic) are hidden as the answers are given.
    number = 1
    while True:
        expect(page.get_by_role("heading", level=2)).to_contain_text(f"Section {number} of ")
        for question in page.locator("#screening-form fieldset").all():
            if not question.is_visible():
                continue
            wanted = "Yes" if "work elsewhere" in question.locator("legend").inner_text() else None
            labels = question.locator("label")
            (labels.filter(has_text=re.compile(f"^{wanted}$")) if wanted else labels.nth(1)).click()
        record = page.get_by_role("button", name="Record the screening")
        if record.is_visible():
            record.click()
            break
        page.get_by_role("button", name="Next").click()
        number += 1
    assert number > 3, number
    expect(page.locator("main")).to_contain_text("Urgent")

    page.goto(f"{live_server.url}/screening/follow-ups/")
    expect(page.locator("tr", has_text="Nasreen Bibi").first).to_contain_text("Urgent")
    page.screenshot(path=str(SCREENSHOTS / "registration-follow-up.png"), full_page=True)
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
