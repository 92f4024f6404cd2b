"""Hidden characters (bidi overrides, isolates, marks, controls) never reach stored names and codes, whether
they come through a page form or the API (the site import: ``geography/tests/test_import.py``); Urdu letters and digits pass untouched."""

from __future__ import annotations

from django.test import SimpleTestCase

from hifazat.accounts.models import Organisation
from hifazat.core.roles import Role
from hifazat.core.text import clean_line, clean_text
from hifazat.people.models import Household, Person
from hifazat.people.tests.test_pages import WIDOW
from hifazat.people.tests.test_registry import RegistryTestCase

URDU = "ایچ الیون ریلیف کیمپ ۱۲۳ ٤٥٦ نسرین\u200cبی بی"  # Urdu letters, Urdu and Arabic digits, a non-joiner
HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\x00\x07\x1b\x7f\x85\x9b"


class CleaningTests(SimpleTestCase):
    def test_a_single_line_loses_every_bidi_and_control_character(self) -> None:
        for character in HIDDEN:
            self.assertEqual(clean_line(f"ISB{character}H11"), "ISBH11" if character != "\x85" else "ISB H11")
        self.assertEqual(clean_line("Nasreen\tBibi\r\n"), "Nasreen Bibi  ")

    def test_urdu_letters_and_digits_pass_untouched(self) -> None:
        self.assertEqual(clean_line(URDU), URDU)
        self.assertEqual(clean_text(URDU), URDU)

    def test_multi_line_text_keeps_its_line_breaks_and_tabs(self) -> None:
        self.assertEqual(clean_text("First line\r\n\tsecond\u202e line\x00"), "First line\r\n\tsecond line")


class ModelCleaningTests(RegistryTestCase):
    def test_full_clean_strips_names_and_codes_before_checking_them(self) -> None:
        organisation = Organisation(
            name="Rescue\u202e Aid\u0007", short_name="\u2067RA\u2069", org_type="NGO"
        )
        organisation.full_clean()
        self.assertEqual((organisation.name, organisation.short_name), ("Rescue Aid", "RA"))
        # Nothing left once the hidden characters go: the name is refused as blank.
        with self.assertRaisesMessage(Exception, "name"):
            Organisation(name="\u202e\u200f", org_type="NGO").full_clean()


class PageAndApiTests(RegistryTestCase):
    def test_a_page_form_stores_names_and_codes_without_hidden_characters(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        client.post("/households/new/", {"site": self.site.uuid, "shelter_number": "T-\u202e99\u0007"})
        household = Household.objects.get(shelter_number="T-99")
        data = {**WIDOW, "first_name": "\u202eNas\u2066reen\u200f", "first_name_ur": "نسرین\u202c\u061c"}
        response = client.post(f"/households/{household.uuid}/members/new/", data)
        self.assertRedirects(response, f"/households/{household.uuid}/")
        person = Person.objects.get(household=household)
        self.assertEqual((person.first_name, person.first_name_ur), ("Nasreen", "نسرین"))

    def test_the_api_stores_names_without_hidden_characters(self) -> None:
        response = self.token_client(self.a[Role.CASEWORKER]).post(
            "/api/v1/people/",
            {
                "household": str(self.household.uuid),
                "first_name": "Nasreen\u202e\u0007",
                "second_name": "\u2068Bibi\u2069",
                "gender": "Feminine",
                "age_years": 32,
                "relationship_to_head": "head",
                "consent_given_by": "self",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        person = Person.objects.get(uuid=response.json()["id"])
        self.assertEqual((person.first_name, person.second_name), ("Nasreen", "Bibi"))
