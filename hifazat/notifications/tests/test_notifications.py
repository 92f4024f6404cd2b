"""Each user's notifications and work list: only their own, in their organisation, and read when opened."""

from __future__ import annotations

import datetime

from django.utils import timezone

from hifazat.core import hooks
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.notifications.models import Notification
from hifazat.notifications.selectors import WorkItem, WorkSection, worklist_for
from hifazat.notifications.services import notify


class NotificationTests(HifazatTestCase):
    def test_notify_skips_repeats_and_inactive_users(self) -> None:
        caseworker, supervisor = self.a[Role.CASEWORKER], self.a[Role.SUPERVISOR]
        supervisor.is_active = False
        supervisor.save(update_fields=["is_active"])
        made = notify(
            recipients=[caseworker, caseworker, supervisor, None], kind="case.assigned", title="IMPO-1"
        )
        self.assertEqual([n.recipient for n in made], [caseworker])
        self.assertEqual(made[0].organisation, self.org_a)

    def test_another_users_notification_is_not_found(self) -> None:
        (mine,) = notify(recipients=[self.a[Role.CASEWORKER]], kind="t", title="A-1", url="/work/")
        for user in (self.a[Role.SUPERVISOR], self.b[Role.CASEWORKER]):
            response = self.client_for(user).post(f"/notifications/{mine.uuid}/open/")
            self.assertEqual(response.status_code, 404, user.username)
        mine.refresh_from_db()
        self.assertIsNone(mine.read_at)

    def test_the_list_shows_only_ones_own_and_counts_unread_in_the_menu(self) -> None:
        notify(recipients=[self.a[Role.CASEWORKER]], kind="t", title="Case IMPO-2005-0007 assigned to you")
        notify(recipients=[self.a[Role.SUPERVISOR]], kind="t", title="Case IMPO-2005-0008 awaits approval")
        page = self.client_for(self.a[Role.CASEWORKER]).get("/notifications/")
        self.assertContains(page, "IMPO-2005-0007")
        self.assertNotContains(page, "IMPO-2005-0008")
        self.assertContains(page, '<span class="badge text-bg-warning">1')

    def test_opening_marks_read_and_follows_the_link(self) -> None:
        (note,) = notify(recipients=[self.a[Role.CASEWORKER]], kind="t", title="A-2", url="/work/")
        response = self.client_for(self.a[Role.CASEWORKER]).post(f"/notifications/{note.uuid}/open/")
        self.assertRedirects(response, "/work/", fetch_redirect_response=False)
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)

    def test_read_all_touches_only_ones_own(self) -> None:
        notify(recipients=[self.a[Role.CASEWORKER], self.a[Role.SUPERVISOR]], kind="t", title="A-3")
        self.client_for(self.a[Role.CASEWORKER]).post("/notifications/read-all/")
        unread = Notification.objects.filter(read_at__isnull=True)
        self.assertEqual([n.recipient for n in unread], [self.a[Role.SUPERVISOR]])


class WorkListTests(HifazatTestCase):
    def setUp(self) -> None:
        def source(actor):
            if actor.role != Role.CASEWORKER:
                return []
            yesterday = timezone.localdate() - datetime.timedelta(days=1)
            return [
                WorkSection(
                    "visits", "Visits", [WorkItem("Visit tent 4", "/x/", due=yesterday)], total=1, weight=2
                ),
                WorkSection("calls", "Calls", [], total=0, weight=1),
            ]

        self.enterContext(hooks.temporarily("notifications.worklist", source))

    def test_sections_come_in_weight_order_and_only_for_the_roles_concerned(self) -> None:
        keys = [s.key for s in worklist_for(self.actor(self.a[Role.CASEWORKER]))]
        self.assertEqual([key for key in keys if key in {"calls", "visits"}], ["calls", "visits"])
        self.assertNotIn("visits", [s.key for s in worklist_for(self.actor(self.a[Role.SUPERVISOR]))])

    def test_the_page_marks_overdue_items(self) -> None:
        page = self.client_for(self.a[Role.CASEWORKER]).get("/work/")
        self.assertContains(page, "Visit tent 4")
        self.assertContains(page, "list-group-item-warning")
        self.assertContains(page, "Overdue")
