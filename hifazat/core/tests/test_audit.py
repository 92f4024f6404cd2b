"""The audit log: a row for every write and for every read of a sensitive record; rows never change."""

from __future__ import annotations

from django.db import DatabaseError, connection, transaction

from hifazat.accounts import services as accounts
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography import services as geography


class AuditTests(HifazatTestCase):
    def test_a_write_through_a_service_leaves_one_entry_with_who_and_what_but_no_values(self) -> None:
        actor = self.actor(self.admin)
        before = AuditEntry.objects.count()
        country = geography.area_create(actor=actor, pcode="PK", name="Pakistan", level=0, parent=None)
        entry = AuditEntry.objects.latest("id")
        self.assertEqual(AuditEntry.objects.count(), before + 1)
        self.assertEqual(
            (entry.action, entry.object_type, entry.object_uuid, entry.user, entry.organisation, entry.role),
            ("create", "geography.adminarea", country.uuid, self.admin, self.org_a, "administrator"),
        )
        geography.area_update(actor=actor, area=country, name="Islamic Republic of Pakistan")
        update = AuditEntry.objects.latest("id")
        self.assertEqual(update.detail, {"fields": ["name"]})
        self.assertNotIn("Islamic", str(update.detail))

    def test_opening_a_users_record_is_audited_with_the_address(self) -> None:
        caseworker = self.a[Role.CASEWORKER]
        client = self.client_for(self.admin)
        client.get(f"/users/{caseworker.uuid}/", REMOTE_ADDR="10.20.30.40")
        entry = AuditEntry.objects.get(action="read", object_uuid=caseworker.uuid)
        self.assertEqual((entry.user, entry.ip), (self.admin, "10.20.30.40"))

    def test_a_list_page_is_not_a_read_of_each_record(self) -> None:
        self.client_for(self.admin).get("/users/")
        self.assertFalse(AuditEntry.objects.filter(action="read").exists())

    def test_user_changes_are_audited_with_the_changed_field_names(self) -> None:
        caseworker = self.a[Role.CASEWORKER]
        accounts.user_update(
            actor=self.actor(self.admin), user=caseworker, role=Role.SUPERVISOR, phone="0300-1234567"
        )
        entry = AuditEntry.objects.filter(object_uuid=caseworker.uuid, action="update").latest("id")
        self.assertEqual(entry.detail["fields"], ["phone", "role"])
        self.assertNotIn("0300", str(entry.detail))

    def test_the_database_refuses_to_change_or_remove_an_entry(self) -> None:
        geography.area_create(actor=self.actor(self.admin), pcode="PK", name="Pakistan", level=0, parent=None)
        entry = AuditEntry.objects.latest("id")
        table = AuditEntry._meta.db_table
        for statement in (
            f"UPDATE {table} SET action = 'read' WHERE id = %s",
            f"DELETE FROM {table} WHERE id = %s",
        ):
            with self.assertRaises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
        entry.refresh_from_db()
        self.assertEqual(entry.action, "create")
        with self.assertRaises(RuntimeError):
            entry.delete()

    def test_administrators_see_their_own_organisations_audit_only(self) -> None:
        geography.area_create(actor=self.actor(self.admin), pcode="PK", name="Pakistan", level=0, parent=None)
        mine = self.client_for(self.admin).get("/audit/")
        self.assertContains(mine, "geography.adminarea")
        theirs = self.client_for(self.b[Role.ADMINISTRATOR]).get("/audit/")
        self.assertNotContains(theirs, "geography.adminarea")
