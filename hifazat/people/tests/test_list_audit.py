"""The people list page leaves one audit entry per read: how many people were shown and which filters (names,
never the values searched for) found them."""

from __future__ import annotations

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people.tests.test_registry import RegistryTestCase


class PersonListAuditTests(RegistryTestCase):
    def test_a_search_is_audited_with_the_count_and_the_filter_names_only(self) -> None:
        self.register("Nasreen", age_years=30, phone="0300 1234567")
        self.register("Rubina", age_years=41)
        reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, object_type="people.person")
        self.assertEqual(self.client_for(self.a[Role.ANALYST]).get("/people/").status_code, 403)
        self.assertFalse(reads.exists())  # a refused read leaves none
        client = self.client_for(self.a[Role.CASEWORKER])
        response = client.get("/people/", {"q": "Nasreen", "phone": "03001234567"})
        self.assertContains(response, "Nasreen")
        [entry] = reads.filter(object_uuid__isnull=True)
        self.assertEqual(entry.detail, {"count": 1, "total": 1, "filters": ["phone", "q"]})
        self.assertNotIn("Nasreen", str(entry.detail))
        client.get("/people/")
        self.assertEqual(reads.filter(object_uuid__isnull=True).latest("id").detail["total"], 2)
