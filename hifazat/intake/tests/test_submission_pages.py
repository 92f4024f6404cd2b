"""The supervisor's side of submissions: the list, the detail, correcting one that failed and storing it again;
and each field user's Collect settings page."""

from __future__ import annotations

import re

from django.urls import reverse

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.intake.models import CollectKey, Submission
from hifazat.intake.tests.base import ADULT, IntakeTestCase, household_xml
from hifazat.intake.tests.collect import Collect
from hifazat.people.models import Household, Person


class FailedSubmissionTests(IntakeTestCase):
    def setUp(self) -> None:
        self.collect_for(self.caseworker).submit(
            household_xml(members=[ADULT], site_code="NOPE-1", instance_id="uuid:x")
        )
        self.submission = Submission.objects.get()
        self.detail = reverse("intake:submission_detail", args=[self.submission.uuid])
        self.retry = reverse("intake:submission_retry", args=[self.submission.uuid])

    def fixed_xml(self) -> str:
        return bytes(self.submission.received_xml).decode().replace("NOPE-1", "ISB-H11")

    def test_roles_other_than_the_supervisor_are_refused(self) -> None:
        for role in (Role.CASEWORKER, Role.ADMINISTRATOR, Role.ANALYST):
            with self.subTest(role=role):
                client = self.client_for(self.a[role])
                self.assertEqual(client.get(self.detail).status_code, 403)
                self.assertEqual(client.post(self.retry, {"xml": self.fixed_xml()}).status_code, 403)
        self.assertFalse(Household.objects.exists())

    def test_another_organisations_supervisor_gets_404(self) -> None:
        client = self.client_for(self.b[Role.SUPERVISOR])
        self.assertEqual(client.get(self.detail).status_code, 404)
        self.assertEqual(client.post(self.retry, {"xml": self.fixed_xml()}).status_code, 404)

    def test_the_supervisor_sees_the_reason_and_the_xml_and_the_read_is_audited(self) -> None:
        response = self.client_for(self.supervisor).get(self.detail)
        self.assertContains(response, "site_code: no site has the code")
        self.assertContains(response, "NOPE-1")
        self.assertTrue(AuditEntry.objects.filter(object_uuid=self.submission.uuid, action="read").exists())
        listed = self.client_for(self.supervisor).get(reverse("intake:submission_list"), {"status": "failed"})
        self.assertContains(listed, self.detail)

    def test_a_corrected_submission_is_stored_and_the_received_xml_kept(self) -> None:
        response = self.client_for(self.supervisor).post(self.retry, {"xml": self.fixed_xml()})
        self.assertRedirects(response, self.detail)
        self.submission.refresh_from_db()
        self.assertEqual((self.submission.status, self.submission.attempts), (Submission.Status.STORED, 2))
        self.assertIn(b"NOPE-1", bytes(self.submission.received_xml))
        person = Person.objects.get()
        self.assertEqual((person.household.site, person.created_by), (self.site, self.supervisor))

    def test_a_correction_that_changes_the_instance_is_refused(self) -> None:
        xml = self.fixed_xml().replace("uuid:x", "uuid:y")
        response = self.client_for(self.supervisor).post(self.retry, {"xml": xml})
        self.assertContains(response, "must keep the instanceID", status_code=400)
        self.assertFalse(Person.objects.exists())

    def test_a_correction_that_is_not_xml_is_refused(self) -> None:
        response = self.client_for(self.supervisor).post(self.retry, {"xml": "<data"})
        self.assertContains(response, "The XML cannot be read", status_code=400)

    def test_a_stored_submission_is_not_run_again(self) -> None:
        client = self.client_for(self.supervisor)
        client.post(self.retry, {"xml": self.fixed_xml()})
        response = client.post(self.retry, {"xml": self.fixed_xml()})
        self.assertContains(
            response, "Only a submission that is not stored can be corrected.", status_code=400
        )
        self.assertEqual(Person.objects.count(), 1)


class HeldSubmissionTests(IntakeTestCase):
    def test_the_supervisor_stores_a_held_submission_once_they_confirm_other_people(self) -> None:
        from hifazat.people.models import DuplicateSuspicion

        collect = self.collect_for(self.caseworker)
        collect.submit(household_xml(members=[ADULT]))
        collect.submit(household_xml(members=[ADULT]))
        held = Submission.objects.get(status=Submission.Status.REVIEW)
        first = Person.objects.get()
        detail = reverse("intake:submission_detail", args=[held.uuid])
        client = self.client_for(self.supervisor)
        self.assertContains(client.get(detail), reverse("people:person_detail", args=[first.uuid]))
        retry = reverse("intake:submission_retry", args=[held.uuid])
        client.post(retry, {"xml": bytes(held.xml).decode()})  # without the confirmation: held again
        held.refresh_from_db()
        self.assertEqual((held.status, Person.objects.count()), (Submission.Status.REVIEW, 1))
        with self.captureOnCommitCallbacks(execute=True):  # the scan is queued once the records are written
            client.post(retry, {"xml": bytes(held.xml).decode(), "not_duplicates": "on"})
        held.refresh_from_db()
        self.assertEqual((held.status, Person.objects.count()), (Submission.Status.STORED, 2))
        # Stored anyway, the pair still reaches the duplicate review queue through the registration's scan.
        self.assertTrue(DuplicateSuspicion.objects.filter(person_a__in=Person.objects.all()).exists())


class CollectSetupTests(IntakeTestCase):
    url = reverse("intake:collect_setup")

    def test_roles_without_intake_submit_are_refused(self) -> None:
        for role in (Role.ADMINISTRATOR, Role.ANALYST):
            with self.subTest(role=role):
                self.assertEqual(self.client_for(self.a[role]).post(self.url).status_code, 403)
        self.assertFalse(CollectKey.objects.exists())

    def test_the_settings_shown_once_let_collect_in_and_a_new_secret_revokes_the_old(self) -> None:
        client = self.client_for(self.caseworker)
        page = client.post(self.url).content.decode()
        server_url = re.search(r"<code>(https?://[^<]+/collect/[^<]+)</code>", page).group(1)
        secret = re.search(r'<dd class="col-sm-9 hz-ltr"><code>([^<]+)</code><br>', page).group(1)
        key = CollectKey.objects.get(user=self.caseworker)
        self.assertNotIn(secret, key.secret_sha256)
        self.assertNotIn(secret, client.get(self.url).content.decode())
        collect = Collect(
            server_url=server_url.replace("http://", "https://"),
            username=self.caseworker.username,
            password=secret,
        )
        self.assertEqual(len(collect.form_list()), 1)
        client.post(self.url)
        stale = Collect(
            server_url=server_url.replace("http://", "https://"),
            username=self.caseworker.username,
            password=secret,
        )
        response = stale.client.get(
            stale._path(server_url.replace("http://", "https://") + "/formList"), secure=True
        )
        self.assertEqual(response.status_code, 401)
