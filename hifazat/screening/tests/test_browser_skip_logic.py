"""A caseworker screens a widowed mother on a phone (360 px) in Urdu: the recruitment questions appear when she
says she was taken away for work and disappear again, without a request, when the answer is changed to No; the
screening is saved as a draft, the page is reloaded and the screening resumed from the person's page with every
answer kept, and then recorded. No script error, no Content-Security-Policy violation, nothing from outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.people import services as people
from hifazat.people.testing import make_site
from hifazat.screening.models import Screening, ScreeningDraft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"
PHONE = {"width": 360, "height": 740}


def urdu(text: str) -> str:
    with translation.override("ur"):
        translated = translation.gettext(text)
    assert translated != text, f"no Urdu for {text!r}"
    return translated


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "ur-PK", "viewport": PHONE}


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def answer_shown_questions(page: Page, *, yes_to: str = "") -> None:
    """Answer every question on show "No" (the second answer), or "Yes" for the one whose text has ``yes_to``."""
    for question in page.locator("#screening-form fieldset:visible").all():
        labels = question.locator("label")
        if yes_to and yes_to in question.locator("legend").inner_text():
            labels.first.click()
        else:
            labels.nth(1).click()


def test_skip_logic_a_draft_reloaded_and_resumed_then_recorded_in_urdu_on_a_phone(
    live_server, page: Page
) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    user = make_user(organisation, Role.CASEWORKER, "caseworker")
    actor = Actor.for_user(user)
    household = people.household_register(actor=actor, site=make_site(), shelter_number="T-14")
    mother = people.person_register(
        actor=actor,
        household=household,
        first_name="Nasreen",
        second_name="Bibi",
        gender="Feminine",
        marital_status="Widowed",
        age_years=32,
        relationship_to_head="head",
    )
    people.consent_record(actor=actor, person=mother, purpose="screening", status="given")

    watched = watch(page)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, user, language="ur")
    heading = page.get_by_role("heading", level=2)

    page.goto(f"{live_server.url}/screening/person/{mother.uuid}/new/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(heading).to_contain_text("حصہ 1 (کل 7 میں سے)")
    for number in range(1, 6):  # about the person, the household, the camp, rights and services, offers
        expect(heading).to_contain_text(f"حصہ {number} ")
        answer_shown_questions(page, yes_to="کہیں اور کام کی پیشکش")  # an offer of work elsewhere: urgent
        page.get_by_role("button", name=urdu("Next")).click()

    # Recruitment: only the first question is asked until it is answered.
    expect(heading).to_contain_text("حصہ 6 ")
    shown = page.locator("#screening-form fieldset:visible")
    expect(shown).to_have_count(1)
    destination = page.locator('[data-section="destination"] .hz-skip-note')
    expect(destination).to_be_visible()
    before = len(requests)
    gate = shown.first
    gate.locator("label").first.click()  # Yes: recruited or taken away for work
    expect(shown).to_have_count(10)
    expect(destination).to_be_hidden()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding the caret would leave style="" on every input, which the next htmx swap of the
    # same section copies across, and the Content-Security-Policy (rightly) refuses.
    page.screenshot(
        path=str(SCREENSHOTS / "screening-skip-logic-shown-ur.png"), full_page=True, caret="initial"
    )
    gate.locator("label").nth(1).click()  # No: the nine others go again
    expect(shown).to_have_count(1)
    expect(destination).to_be_visible()
    assert len(requests) == before, "the skip logic ran in the page, without a request"
    fits_the_screen(page)

    page.get_by_role("button", name=urdu("Save as a draft")).click()
    expect(page.locator("#screening-form .alert-info")).to_contain_text("مسودے کے طور پر محفوظ ہو گئی")
    draft = ScreeningDraft.objects.get(person=mother)
    assert draft.answers["rec_recruited"] == "no" and draft.section == 6
    assert not Screening.objects.exists(), "a draft is not a screening"

    # A reload resumes from the server, then the person page's button does the same.
    page.reload()
    expect(heading).to_contain_text("حصہ 6 ")
    expect(page.locator('input[name="q_rec_recruited"][value="no"]')).to_be_checked()
    page.goto(f"{live_server.url}/people/{mother.uuid}/")
    page.get_by_role("link", name=urdu("Resume the screening")).click()
    expect(heading).to_contain_text("حصہ 6 ")
    expect(page.locator('input[name="q_rec_recruited"][value="no"]')).to_be_checked()
    page.get_by_role("button", name=urdu("Back")).click()
    expect(heading).to_contain_text("حصہ 5 ")
    expect(page.locator('input[name="q_lure_offer_work"][value="yes"]')).to_be_checked()
    page.get_by_role("button", name=urdu("Next")).click()
    expect(heading).to_contain_text("حصہ 6 ")
    page.get_by_role("button", name=urdu("Next")).click()

    # The place of work is skipped: forced labour is the last section, and only its first question is asked.
    expect(heading).to_contain_text("حصہ 7 (کل 7 میں سے)")
    answer_shown_questions(page)
    expect(page.locator("#screening-form fieldset:visible")).to_have_count(1)
    fits_the_screen(page)
    page.screenshot(
        path=str(SCREENSHOTS / "screening-skip-logic-last-ur.png"), full_page=True, caret="initial"
    )
    page.get_by_role("button", name=urdu("Record the screening")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(urdu("Screening result"))
    expect(page.locator("main")).to_contain_text(urdu("Urgent"))
    fits_the_screen(page)
    screening = Screening.objects.get(person=mother)
    assert screening.answers["lure_offer_work"] == "yes"
    assert screening.answers["rec_recruited"] == "no" and "rec_deceived_job" not in screening.answers
    assert not ScreeningDraft.objects.exists()
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
