"""The referral journey in a real browser: a caseworker opens a case from an urgent screening, tries to refer it to
a medical service without the person's consent (refused), records the consent, refers; the receiving
organisation's caseworker sees only what was shared and accepts; the caseworker asks to close the case and the
supervisor approves. Nothing leaves 127.0.0.1; no script error, no Content-Security-Policy violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.people import services as people
from hifazat.people.testing import make_site
from hifazat.referrals.testing import make_provider
from hifazat.screening import indicators
from hifazat.screening import services as screening
from hifazat.screening.testing import answers_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"


# Whether htmx has processed the element (bound its triggers): htmx 2 keeps the hash of the attributes it bound.
HTMX_BOUND = "selector => !!document.querySelector(selector)?.['htmx-internal-data']?.initHash"


def fill_referral(page: Page) -> None:
    # Choosing the service, then the provider, redraws only the provider part of the form (htmx): with the
    # providers that offer the service, and with what the consent for the chosen receiver allows. What is typed
    # elsewhere stays where it is: the same field, never replaced, with all its text.
    # htmx must have bound the form before the first choice, or the change goes unheard (seen on a loaded machine).
    page.wait_for_load_state("networkidle")
    support = page.get_by_role("textbox", name="Support needed")
    support.fill("Examination after the screening; she has pains since the quake.")
    typed = support.element_handle()
    page.get_by_label("Service").select_option(label="Medical care")
    expect(page.locator("#referral-dependent[data-service='medical']")).to_be_attached()
    page.wait_for_load_state("networkidle")  # no redraw still in flight to undo the next choice
    # The redrawn part listens for changes only once htmx has processed it (after its settle delay).
    page.wait_for_function(HTMX_BOUND, arg="#referral-dependent [hx-post]")
    page.get_by_label("Provider").select_option(label="B Clinic (B)")
    expect(page.locator("#referral-dependent:not([data-provider=''])")).to_be_attached()
    page.wait_for_load_state("networkidle")
    assert typed.evaluate("field => field.isConnected"), "the typed field was replaced by a redraw"
    expect(support).to_have_value("Examination after the screening; she has pains since the quake.")
    page.get_by_label("Urgency").select_option(label="Urgent: answer within 24 hours")
    page.get_by_role("button", name="Send the referral").click()


def test_refer_a_case_without_then_with_consent_accept_it_and_close_the_case(live_server, page: Page) -> None:
    org_a = make_organisation("Organisation A", hosts_system=True)
    org_b = make_organisation("Organisation B")
    caseworker = make_user(org_a, Role.CASEWORKER, "caseworker")
    supervisor = make_user(org_a, Role.SUPERVISOR, "supervisor")
    receiver = make_user(org_b, Role.CASEWORKER, "b-caseworker")
    site = make_site()
    make_provider(Actor.for_user(supervisor), org_b, site.area, name="B Clinic", services=("medical",))
    actor = Actor.for_user(caseworker)
    household = people.household_register(actor=actor, site=site, shelter_number="T-14")
    person = people.person_register(
        actor=actor,
        household=household,
        relationship_to_head="head",
        first_name="Nasreen",
        second_name="Bibi",
        gender="Feminine",
        marital_status="Widowed",
        age_years=32,
        phone="0300-1234567",
    )
    people.consent_record(actor=actor, person=person, purpose="screening", status="given")
    catalogue = indicators.current_catalogue()
    urgent = screening.screening_record(
        actor=actor,
        person=person,
        answers=answers_for(catalogue, subject_is_child=False, lure_offer_work="yes"),
    )
    page.set_default_timeout(60_000)  # the machine may be busy with other test runs
    watched = watch(page)

    # A case from the urgent screening.
    sign_in(page, live_server, caseworker)
    page.goto(f"{live_server.url}/screening/{urgent.uuid}/")
    expect(page.locator("main")).to_contain_text("Urgent")
    page.get_by_role("link", name="Open a case").click()
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator("main")).to_contain_text("is open")
    case_url = page.url

    # Refer it to the medical service: refused without consent for referral.
    page.locator("#panel-referrals").get_by_role("link", name="Refer", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("consent for referral is not in force")
    fill_referral(page)
    expect(page.locator("#referral-form")).to_contain_text("Record their consent first")

    # Record the consent, then refer.
    page.get_by_role("link", name="Record their consent").click()
    page.get_by_label("Purpose").select_option(label="Referral to services")
    page.get_by_label("Decision").select_option(label="Given")
    page.get_by_role("button", name="Record").click()
    page.goto(case_url)
    page.locator("#panel-referrals").get_by_role("link", name="Refer", exact=True).click()
    fill_referral(page)
    expect(page.locator("main")).to_contain_text("is sent")
    expect(page.locator("h1")).to_contain_text("Sent, awaiting a response")
    number = re.search(r"A-RF-\d{4}-\d{4}", page.locator("h1").inner_text()).group(0)

    # The receiving organisation sees only what was shared, and accepts.
    sign_in(page, live_server, receiver)
    page.goto(f"{live_server.url}/referrals/incoming/")
    page.get_by_role("link", name=number).click()
    main = page.locator("main")
    expect(main).to_contain_text("Nasreen Bibi")
    expect(main).to_contain_text("Examination after the screening")
    expect(main).not_to_contain_text("1234567")
    expect(main).not_to_contain_text("H-11 Relief Camp")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "referral-receiver.png"), full_page=True)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("h1")).to_contain_text("Accepted")
    assert page.request.get(case_url).status == 404  # the sender's case is not theirs to see

    # The sender reads the answer, and asks to close the case.
    sign_in(page, live_server, caseworker)
    page.goto(case_url)
    expect(page.locator("#panel-referrals")).to_contain_text("Accepted")
    page.get_by_text("Close the case", exact=True).click()
    page.get_by_label("Outcome").select_option(label="Support plan objectives met")
    page.get_by_label("Reason for closure").fill("Seen and treated at the clinic; no further risk found.")
    page.get_by_role("button", name="Ask a supervisor to close it").click()
    expect(page.locator("main")).to_contain_text("waiting for a supervisor's approval")

    # The supervisor approves; the case is closed.
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/cases/approvals/")
    page.get_by_role("button", name="Record the decision").first.click()
    page.goto(case_url)
    expect(page.locator("h1")).to_contain_text("Closed")
    page.screenshot(path=str(SCREENSHOTS / "referral-case-closed.png"), full_page=True)
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
