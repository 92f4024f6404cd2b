"""The audit log page: who may see it, and its filters by who, when, action, and person or case."""

from __future__ import annotations

import datetime
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from hifazat.cases.testing import open_case, register_person
from hifazat.core.audit import audit
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class AuditLogPageTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.supervisor = cls.a[Role.SUPERVISOR]
        cls.person = register_person(cls.actor_for(cls.supervisor))
        cls.case = open_case(cls.actor_for(cls.supervisor), person=cls.person)
        cls.case_b = open_case(cls.actor_for(cls.b[Role.SUPERVISOR]))

    @staticmethod
    def actor_for(user):
        from hifazat.core.audit import Actor

        return Actor.for_user(user)

    def entries(self, query: dict, user=None) -> list[AuditEntry]:
        response = self.client_for(user or self.admin).get("/audit/", query)
        self.assertEqual(response.status_code, 200)
        return list(response.context["page"].object_list)

    def test_only_administrators_may_see_the_page(self) -> None:
        self.assertEqual(self.client.get("/audit/").status_code, 302)
        for role in Role:
            if role != Role.ADMINISTRATOR:
                self.assertEqual(self.client_for(self.a[role]).get("/audit/").status_code, 403, role)
        self.assertEqual(self.client_for(self.admin).get("/audit/").status_code, 200)

    def test_filter_by_who(self) -> None:
        caseworker = self.a[Role.CASEWORKER]
        audit(self.actor(caseworker), AuditEntry.Action.EXPORT, object_kind="people.person")
        seen = self.entries({"user": str(caseworker.uuid)})
        self.assertEqual([(entry.user, entry.action) for entry in seen], [(caseworker, "export")])
        # The choice is the organisation's members only: another organisation's user is not a valid choice.
        response = self.client_for(self.admin).get("/audit/", {"user": str(self.b[Role.CASEWORKER].uuid)})
        self.assertContains(response, 'id="id_user_error"')
        self.assertEqual(list(response.context["page"].object_list), [])
        self.assertNotContains(response, self.b[Role.CASEWORKER].username)

    def test_filter_by_dates_takes_whole_days(self) -> None:
        days = [datetime.date(2026, 3, day) for day in (1, 2, 3)]
        for day in days:
            with mock.patch("django.utils.timezone.now", return_value=at(day, hour=23)):
                audit(self.actor(self.admin), AuditEntry.Action.EXPORT, object_kind=f"day{day.day}")
        seen = self.entries({"date_from": "2026-03-02", "date_to": "2026-03-02"})
        self.assertEqual([entry.object_type for entry in seen], ["day2"])
        seen = self.entries({"date_from": "2026-03-02", "action": "export"})
        self.assertEqual([entry.object_type for entry in seen], ["day3", "day2"])
        seen = self.entries({"date_to": "2026-03-02", "action": "export"})
        self.assertEqual([entry.object_type for entry in seen], ["day2", "day1"])

    def test_a_date_range_that_ends_before_it_starts_is_an_error_next_to_the_field(self) -> None:
        response = self.client_for(self.admin).get(
            "/audit/", {"date_from": "2026-03-02", "date_to": "2026-03-01"}
        )
        self.assertContains(response, 'id="id_date_to_error"')
        self.assertContains(response, "before the first date")
        self.assertEqual(list(response.context["page"].object_list), [])  # not the whole log in its place
        bad = self.client_for(self.admin).get("/audit/", {"date_from": "2 March"})
        self.assertContains(bad, 'id="id_date_from_error"')

    def test_filter_by_action(self) -> None:
        audit(self.actor(self.admin), AuditEntry.Action.EXPORT, object_kind="people.person")
        seen = self.entries({"action": "export"})
        self.assertEqual([(entry.action, entry.object_type) for entry in seen], [("export", "people.person")])
        wrong = self.client_for(self.admin).get("/audit/", {"action": "shred"})
        self.assertContains(wrong, 'id="id_action_error"')
        self.assertEqual(list(wrong.context["page"].object_list), [])  # not the unfiltered log

    def test_filter_by_a_persons_uuid(self) -> None:
        seen = self.entries({"record": str(self.person.uuid)})
        self.assertTrue(seen)
        self.assertEqual({entry.object_uuid for entry in seen}, {self.person.uuid})

    def test_filter_by_a_case_number_or_uuid(self) -> None:
        by_number = self.entries({"record": self.case.number})
        self.assertTrue(by_number)
        self.assertEqual({entry.object_uuid for entry in by_number}, {self.case.uuid})
        self.assertEqual(self.entries({"record": f"  {self.case.number.lower()} "}), by_number)
        self.assertEqual(self.entries({"record": str(self.case.uuid)}), by_number)
        # B's administrator finds B's case by its number, and only B's entries.
        theirs = self.entries({"record": self.case_b.number}, user=self.b[Role.ADMINISTRATOR])
        self.assertTrue(theirs)
        self.assertEqual({(e.organisation, e.object_uuid) for e in theirs}, {(self.org_b, self.case_b.uuid)})

    def test_another_organisations_case_number_finds_nothing_and_reveals_nothing(self) -> None:
        client = self.client_for(self.admin)
        theirs = client.get("/audit/", {"record": self.case_b.number})
        unknown = client.get("/audit/", {"record": "NO-SUCH-NUMBER"})
        self.assertEqual(list(theirs.context["page"].object_list), [])
        self.assertEqual(theirs.context["form"].errors, unknown.context["form"].errors)
        self.assertContains(theirs, 'id="id_record_error"')
        self.assertNotContains(theirs, str(self.case_b.uuid))
        # Nor is there anything of B's case in A's log that the filter could have hidden.
        self.assertFalse(
            AuditEntry.objects.filter(organisation=self.org_a, object_uuid=self.case_b.uuid).exists()
        )

    @override_settings(HIFAZAT_PAGE_SIZE=2)
    def test_filtered_results_are_paginated_and_the_pages_keep_the_filter(self) -> None:
        for _ in range(3):
            audit(self.actor(self.admin), AuditEntry.Action.EXPORT, object_kind="people.person")
        audit(self.actor(self.a[Role.CASEWORKER]), AuditEntry.Action.EXPORT, object_kind="people.person")
        query = {"user": str(self.admin.uuid), "action": "export"}
        response = self.client_for(self.admin).get("/audit/", query)
        self.assertEqual(response.context["page"].paginator.count, 3)
        self.assertContains(response, f"user={self.admin.uuid}&amp;action=export&amp;page=2")
        second = self.entries({**query, "page": 2})
        self.assertEqual([(entry.user, entry.action) for entry in second], [(self.admin, "export")])

    def test_an_htmx_request_gets_the_filters_and_rows_with_their_errors(self) -> None:
        response = self.client_for(self.admin).get(
            "/audit/", {"date_from": "2026-03-02", "date_to": "2026-03-01"}, HTTP_HX_REQUEST="true"
        )
        self.assertNotContains(response, "<html")
        self.assertContains(response, 'id="id_date_to_error"')
