"""The field intake journey in a real browser: a coordinator (supervisor) publishes the shipped household XLSForm
and sees it listed; a caseworker's ODK Collect (the emulator, through the OpenRosa endpoints: form list, download
checked against its MD5, HEAD pre-flight, multipart POST) sends a household; the coordinator finds the mother in
the registry and opens her record. Nothing leaves 127.0.0.1; no script error, no Content-Security-Policy
violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in, watch
from hifazat.intake import services
from hifazat.intake.demo import household_submission_xml
from hifazat.intake.formdefs import FORMS_DIR
from hifazat.intake.models import Submission
from hifazat.intake.tests.collect import Collect
from hifazat.people.testing import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"


def test_publish_a_form_receive_a_household_from_collect_and_find_the_mother(live_server, page: Page) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    coordinator = make_user(organisation, Role.SUPERVISOR, "coordinator")
    caseworker = make_user(organisation, Role.CASEWORKER, "caseworker")
    make_site()
    watched = watch(page)

    # The coordinator publishes the shipped household form and sees it listed.
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/intake/forms/")
    page.get_by_label("XLSForm (XLSX)").set_input_files(str(FORMS_DIR / "household_registration.xlsx"))
    page.get_by_label("What its submissions become").select_option(
        label="Household registration with members"
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("The form is published to Collect.")
    page.goto(f"{live_server.url}/intake/forms/")
    row = page.locator("tr", has_text="Household registration")
    expect(row).to_contain_text("Yes")

    # The caseworker's Collect lists the form, downloads it and sends a household from the field.
    key, secret = services.collect_key_create(actor=Actor.for_user(caseworker))
    collect = Collect(
        server_url=f"https://testserver/collect/{key.token}", username=caseworker.username, password=secret
    )
    [entry] = collect.form_list()
    collect.download(entry)
    members = [
        {
            "first_name": "Shabana",
            "second_name": "Bibi",
            "gender": "Feminine",
            "relationship_to_head": "head",
            "age_years": "31",
            "consent_registration": "given",
            "consent_given_by": "self",
        },
        {
            "first_name": "Saima",
            "second_name": "Bibi",
            "gender": "Feminine",
            "relationship_to_head": "child",
            "age_years": "12",
            "child_status": "with_parents",
            "consent_registration": "given",
            "consent_given_by": "caregiver",
            "consent_given_by_name": "Shabana Bibi",
            "child_view": "agrees",
        },
    ]
    xml = household_submission_xml(
        form_id=entry.form_id,
        version=entry.version,
        site_code="ISB-H11",
        shelter="C-14",
        members=members,
        instance_id="uuid:6f1c2b9e-3c55-4a8e-9d51-7c0e8f1a2b3c",
    )
    [response] = collect.submit(xml)
    assert response.status_code == 201
    assert Submission.objects.get().status == Submission.Status.STORED

    # The coordinator finds the mother in the registry and opens her record.
    page.goto(f"{live_server.url}/people/?q=Shabana")
    page.get_by_role("link", name="Shabana Bibi").click()
    expect(page.locator("main")).to_contain_text("Shabana Bibi")
    # Stored through the registration services: her consent, and the group the rules derive from the household.
    expect(page.locator("main")).to_contain_text("Female-headed household")
    expect(page.locator("tr", has_text="Registration")).to_contain_text("Given")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "intake-collect-person.png"), full_page=True)
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
