"""The base for screening tests: the registry's test case with screening consent and answers at hand."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.people import services as people
from hifazat.people.models import Consent, ConsentPurpose, Person
from hifazat.people.tests.test_registry import RegistryTestCase
from hifazat.screening import indicators, services
from hifazat.screening.models import Screening
from hifazat.screening.testing import answers_for


class ScreeningTestCase(RegistryTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.supervisor = self.actor(self.a[Role.SUPERVISOR])
        self.catalogue = indicators.current_catalogue()

    def consent(self, person: Person, status: str = Consent.Status.GIVEN) -> Consent:
        extra = {}
        if person.is_child:
            extra = {"given_by": "caregiver", "given_by_name": "Nasreen Bibi", "child_view": "agrees"}
        return people.consent_record(
            actor=self.caseworker, person=person, purpose=ConsentPurpose.SCREENING, status=status, **extra
        )

    def widow(self, *, consent: bool = True) -> Person:
        person = self.register(
            "Nasreen", second_name="Bibi", marital_status="Widowed", age_years=32, relationship_to_head="head"
        )
        if consent:
            self.consent(person)
        return person

    def child(self, *, consent: bool = True) -> Person:
        person = self.register("Ayesha", age_years=12, relationship_to_head="child")
        if consent:
            self.consent(person)
        return person

    def answers(self, person: Person, **chosen: str) -> dict[str, str]:
        return answers_for(self.catalogue, subject_is_child=person.is_child, **chosen)

    def screen(self, person: Person, *, actor=None, **chosen: str) -> Screening:
        return services.screening_record(
            actor=actor or self.caseworker, person=person, answers=self.answers(person, **chosen)
        )
