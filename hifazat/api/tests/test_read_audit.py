"""Reads through the API leave audit entries as the pages do: lists of people (model, count, filter names, never
the values searched for), a person's consents and screenings, a screening's detail."""

from __future__ import annotations

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people import services as people
from hifazat.people.tests.test_registry import RegistryTestCase
from hifazat.screening import indicators
from hifazat.screening import services as screening_services
from hifazat.screening.testing import answers_for


class ApiReadAuditTests(RegistryTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.person = self.register("Nasreen", age_years=30, phone="0300 1234567")
        self.register("Rubina", age_years=41)
        self.client = self.token_client(self.a[Role.CASEWORKER])
        self.reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ)
        self.before = self.reads.count()

    def new_reads(self):
        return list(self.reads.order_by("id")[self.before :])

    def test_a_list_of_people_is_audited_once_with_the_count_and_the_filter_names_only(self) -> None:
        response = self.client.get("/api/v1/people/?q=Nasreen&phone=03001234567&limit=10")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], 1)
        [entry] = self.new_reads()
        self.assertEqual(entry.object_type, "people.person")
        self.assertEqual(entry.user, self.a[Role.CASEWORKER])
        self.assertEqual(entry.detail, {"count": 1, "total": 1, "filters": ["phone", "q"]})
        self.assertNotIn("Nasreen", str(entry.detail))
        self.assertNotIn("1234567", str(entry.detail))

    def test_an_unfiltered_list_records_every_row_sent(self) -> None:
        self.client.get("/api/v1/people/?limit=1")
        [entry] = self.new_reads()
        self.assertEqual(entry.detail, {"count": 1, "total": 2, "filters": []})

    def test_reading_a_persons_consents_is_audited_on_the_person(self) -> None:
        outsider = self.token_client(self.b[Role.CASEWORKER])
        self.assertEqual(outsider.get(f"/api/v1/people/{self.person.uuid}/consents/").status_code, 404)
        self.assertEqual(self.new_reads(), [])  # a refused read leaves none
        response = self.client.get(f"/api/v1/people/{self.person.uuid}/consents/")
        self.assertEqual(response.status_code, 200)
        [entry] = self.new_reads()
        self.assertEqual((entry.object_type, entry.object_uuid), ("people.person", self.person.uuid))
        self.assertEqual(entry.detail, {"records": "consents", "count": 1})

    def test_reading_screenings_is_audited(self) -> None:
        people.consent_record(actor=self.caseworker, person=self.person, purpose="screening", status="given")
        catalogue, _ = indicators.current()
        screening = screening_services.screening_record(
            actor=self.caseworker,
            person=self.person,
            answers=answers_for(catalogue, subject_is_child=False, lure_offer_work="yes"),
        )
        self.before = self.reads.count()
        detail = self.client.get(f"/api/v1/screenings/{screening.uuid}/")
        self.assertEqual(detail.status_code, 200)
        listing = self.client.get(f"/api/v1/people/{self.person.uuid}/screenings/")
        self.assertEqual(listing.status_code, 200)
        first, second = self.new_reads()
        self.assertEqual((first.object_type, first.object_uuid), ("screening.screening", screening.uuid))
        self.assertEqual(second.object_uuid, self.person.uuid)
        self.assertEqual(second.detail, {"records": "screenings", "count": 1})
