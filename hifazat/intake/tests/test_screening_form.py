"""The risk screening form generated from the catalogue, and its submissions stored as screenings."""

from __future__ import annotations

import uuid

from pyxform.xls2xform import convert

from hifazat.core.audit import Actor
from hifazat.intake import formdefs, services
from hifazat.intake.models import Purpose, Submission
from hifazat.intake.tests.base import IntakeTestCase
from hifazat.people.models import ConsentPurpose, Household, Person
from hifazat.people.services import consent_record
from hifazat.screening.indicators import current_catalogue
from hifazat.screening.models import Screening

GENERATED = formdefs.FORMS_DIR / "risk_screening.xlsx"


def screening_xml(form, person_id: str, answers: dict[str, str], *, is_child: str = "no") -> bytes:
    groups = "".join(
        f"<{section.id}>"
        + "".join(f"<{q.id}>{answers[q.id]}</{q.id}>" for q in section.questions if q.id in answers)
        + f"</{section.id}>"
        for section in current_catalogue().sections
    )
    return (
        f'<?xml version="1.0" ?><data id="{form.form_id}" version="{form.version}"><person_id>{person_id}</person_id>'
        f"<is_child>{is_child}</is_child>{groups}<meta><instanceID>uuid:{uuid.uuid4()}</instanceID></meta></data>"
    ).encode()


class ScreeningFormTests(IntakeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.screening_form = services.form_upload(
            actor=Actor.for_user(cls.supervisor),
            name="risk_screening.xlsx",
            content=GENERATED.read_bytes(),
            purpose=Purpose.RISK_SCREENING,
        )
        household = Household.objects.create(organisation=cls.org_a, site=cls.site)
        cls.person = Person.objects.create(
            organisation=cls.org_a, household=household, first_name="Rukhsana", gender="Feminine"
        )
        cls.answers = {
            q.id: q.options[0].value for q in current_catalogue().questions_for(subject_is_child=False)
        }

    def test_the_committed_form_is_generated_from_the_catalogue_in_use(self) -> None:
        committed = convert(GENERATED.read_bytes(), validate=False).xform
        self.assertEqual(
            committed, convert(formdefs.workbook_bytes(formdefs.risk_screening()), validate=False).xform
        )
        catalogue = current_catalogue()
        self.assertEqual(self.screening_form.version, f"{catalogue.version}-{catalogue.checksum[:8]}")
        for question in catalogue.questions.values():
            self.assertIn(f"/{question.id}", committed)

    def test_a_screening_submission_is_scored_and_recorded(self) -> None:
        consent_record(
            actor=Actor.for_user(self.caseworker),
            person=self.person,
            purpose=ConsentPurpose.SCREENING,
            status="given",
        )
        collect = self.collect_for(self.caseworker)
        [response] = collect.submit(screening_xml(self.screening_form, str(self.person.uuid), self.answers))
        self.assertEqual(response.status_code, 201)
        submission = Submission.objects.get()
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        screening = Screening.objects.get(person=self.person)
        self.assertEqual((screening.screened_by, screening.answers), (self.caseworker, self.answers))
        self.assertEqual(submission.result["screening"], str(screening.uuid))

    def test_without_consent_to_screening_it_is_kept_with_the_reason(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.submit(screening_xml(self.screening_form, str(self.person.uuid), self.answers))
        submission = Submission.objects.get()
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("consent to screening is not recorded", submission.error)
        self.assertFalse(Screening.objects.exists())

    def test_another_organisations_person_is_not_found(self) -> None:
        other = Person.objects.create(organisation=self.org_b, first_name="Zainab", gender="Feminine")
        collect = self.collect_for(self.caseworker)
        collect.submit(screening_xml(self.screening_form, str(other.uuid), self.answers))
        self.assertIn("person_id: no person with this record number", Submission.objects.get().error)
        self.assertFalse(Screening.objects.exists())

    def test_missing_answers_are_named(self) -> None:
        consent_record(
            actor=Actor.for_user(self.caseworker),
            person=self.person,
            purpose=ConsentPurpose.SCREENING,
            status="given",
        )
        answers = dict(self.answers)
        missing = answers.popitem()[0]
        self.collect_for(self.caseworker).submit(
            screening_xml(self.screening_form, str(self.person.uuid), answers)
        )
        self.assertIn(missing, Submission.objects.get().error)
