"""Concurrent edits of referrals and of providers in the directory: a stale edit is refused and changes nothing,
only changed fields are written, a stale page shows the conflict and keeps what was typed, the API answers 409."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.versioning import CONFLICT_MESSAGE, EditConflict
from hifazat.referrals import directory_services, services
from hifazat.referrals.models import Pathway, Referral, ReferralEvent, ReferralStatus, ServiceProvider
from hifazat.referrals.tests.base import ReferralTestCase

HTMX = {"HTTP_HX_REQUEST": "true"}
CONFLICT = str(CONFLICT_MESSAGE)
TYPED = "Our counsellor is away until the 20th; please refer her to the district hospital."


class VersionedReferralTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.consent()
        self.referral = self.refer()
        self.seen = self.referral.version  # what the receiver's page carried

    def test_a_whole_row_save_of_a_referral_or_provider_is_refused(self) -> None:
        with self.assertRaises(TypeError):
            self.referral.save()
        with self.assertRaises(TypeError):
            self.clinic.save()

    def test_an_answer_from_a_stale_version_is_refused_and_changes_nothing(self) -> None:
        services.referral_withdraw(actor=self.caseworker, referral=self.referral, reason="Sent by mistake.")
        for answer in (
            lambda: services.referral_accept(
                actor=self.b_caseworker, referral=self.referral, version=self.seen
            ),
            lambda: services.referral_decline(
                actor=self.b_caseworker, referral=self.referral, reason="Full.", version=self.seen
            ),
        ):
            with self.assertRaises(EditConflict):
                answer()
        self.referral.refresh_from_db()
        self.assertEqual((self.referral.status, self.referral.decline_reason), (ReferralStatus.WITHDRAWN, ""))
        self.assertIsNone(self.referral.responded_by)
        self.assertFalse(self.referral.events.filter(kind__in=["accepted", "declined"]).exists())

    def test_a_withdrawal_from_a_stale_version_is_refused_after_the_receiver_answered(self) -> None:
        services.referral_accept(actor=self.b_caseworker, referral=self.referral, version=self.seen)
        with self.assertRaises(EditConflict):
            services.referral_withdraw(
                actor=self.caseworker, referral=self.referral, reason="Sent by mistake.", version=self.seen
            )
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.ACCEPTED)
        self.assertNotEqual(self.referral.snapshot, {})

    def test_a_completion_from_a_stale_version_is_refused(self) -> None:
        accepted = services.referral_accept(actor=self.b_caseworker, referral=self.referral)
        services.referral_withdraw(actor=self.caseworker, referral=self.referral, reason="Moved to Quetta.")
        with self.assertRaises(EditConflict):
            services.referral_complete(
                actor=self.b_caseworker, referral=accepted, outcome="Treated.", version=accepted.version
            )
        self.referral.refresh_from_db()
        self.assertEqual((self.referral.status, self.referral.outcome), (ReferralStatus.WITHDRAWN, ""))

    def test_two_copies_answered_without_versions_never_revert_each_other(self) -> None:
        first, second = Referral.objects.get(pk=self.referral.pk), Referral.objects.get(pk=self.referral.pk)
        services.referral_withdraw(actor=self.caseworker, referral=first, reason="Sent by mistake.")
        with self.assertRaises(ValidationError):
            services.referral_accept(actor=self.b_caseworker, referral=second, reference="FIR 7")
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.WITHDRAWN)
        self.assertEqual(
            (self.referral.receiver_reference, self.referral.withdraw_reason), ("", "Sent by mistake.")
        )

    def test_the_receiver_opening_a_case_keeps_an_answer_saved_from_another_copy(self) -> None:
        first = services.referral_accept(actor=self.b_caseworker, referral=self.referral)
        stale = Referral.objects.get(pk=self.referral.pk)
        services.referral_complete(actor=self.b_caseworker, referral=first, outcome="Counselled twice.")
        services.referral_open_case(actor=self.b_caseworker, referral=stale)
        self.referral.refresh_from_db()
        self.assertEqual(
            (self.referral.status, self.referral.outcome), (ReferralStatus.COMPLETED, "Counselled twice.")
        )
        self.assertIsNotNone(self.referral.receiver_case)
        self.assertEqual(self.referral.version, 4)  # accepted, completed, case opened: each write claimed it

    def test_a_stale_decline_form_shows_the_conflict_and_keeps_the_typed_reason(self) -> None:
        services.referral_withdraw(actor=self.caseworker, referral=self.referral, reason="Sent by mistake.")
        receiver = self.client_for(self.b[Role.CASEWORKER])
        url = f"/referrals/{self.referral.uuid}/decline/"
        page = receiver.post(url, {"reason": TYPED, "version": self.seen})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, CONFLICT.split(",")[0])
        self.assertContains(page, TYPED)
        self.assertContains(page, "<details open>")
        fragment = receiver.post(url, {"reason": TYPED, "version": self.seen}, **HTMX)
        self.assertContains(fragment, CONFLICT.split(",")[0])
        self.assertContains(fragment, TYPED)
        self.assertNotContains(fragment, "<html")
        self.referral.refresh_from_db()
        self.assertEqual((self.referral.status, self.referral.decline_reason), (ReferralStatus.WITHDRAWN, ""))

    def test_a_stale_withdraw_form_shows_the_conflict_and_keeps_the_typed_reason(self) -> None:
        services.referral_accept(actor=self.b_caseworker, referral=self.referral)
        sender = self.client_for(self.a[Role.CASEWORKER])
        page = sender.post(
            f"/referrals/{self.referral.uuid}/withdraw/", {"reason": TYPED, "version": self.seen}, **HTMX
        )
        self.assertContains(page, CONFLICT.split(",")[0])
        self.assertContains(page, TYPED)
        self.referral.refresh_from_db()
        self.assertEqual(self.referral.status, ReferralStatus.ACCEPTED)

    def test_the_api_answers_409_to_a_stale_answer_or_withdrawal(self) -> None:
        services.referral_accept(actor=self.b_caseworker, referral=self.referral)
        receiver = self.token_client(self.b[Role.SUPERVISOR])
        url = f"/api/v1/referrals/{self.referral.uuid}/"
        read = receiver.get(url).json()
        self.assertEqual(read["version"], self.seen + 1)
        sender = self.token_client(self.a[Role.CASEWORKER])
        withdrawn = sender.post(
            url + "withdraw/",
            {"reason": "Moved away.", "version": read["version"]},
            content_type="application/json",
        )
        self.assertEqual(withdrawn.status_code, 200, withdrawn.content)
        stale = receiver.post(
            url + "respond/",
            {"action": "complete", "outcome": "Counselled.", "version": read["version"]},
            content_type="application/json",
        )
        self.assertEqual(stale.status_code, 409)
        self.assertIn("Someone else changed this record", stale.json()["detail"])
        again = sender.post(
            url + "withdraw/",
            {"reason": "Twice.", "version": read["version"]},
            content_type="application/json",
        )
        self.assertEqual(again.status_code, 409)
        self.referral.refresh_from_db()
        self.assertEqual(
            (self.referral.status, self.referral.withdraw_reason), (ReferralStatus.WITHDRAWN, "Moved away.")
        )
        self.assertEqual(self.referral.events.filter(kind=ReferralEvent.Kind.WITHDRAWN).count(), 1)


class VersionedProviderTests(ReferralTestCase):
    def test_two_edits_of_different_fields_without_versions_both_stay(self) -> None:
        admin, b_supervisor = self.actor(self.admin), self.b_supervisor
        first, second = (
            ServiceProvider.objects.get(pk=self.clinic.pk),
            ServiceProvider.objects.get(pk=self.clinic.pk),
        )
        directory_services.provider_update(actor=admin, provider=first, phone="051-9100100")
        directory_services.provider_update(
            actor=b_supervisor, provider=second, availability_note="Full until March."
        )
        self.clinic.refresh_from_db()
        self.assertEqual(
            (self.clinic.phone, self.clinic.availability_note), ("051-9100100", "Full until March.")
        )
        entry = AuditEntry.objects.filter(object_uuid=self.clinic.uuid, action="update").order_by("id").last()
        self.assertEqual(entry.detail["fields"], ["availability_note"])

    def test_an_edit_from_a_stale_version_is_refused_and_changes_nothing(self) -> None:
        seen = self.clinic.version
        directory_services.provider_update(
            actor=self.b_supervisor, provider=self.clinic, accepting_referrals=False
        )
        with self.assertRaises(EditConflict):
            directory_services.provider_update(
                actor=self.actor(self.admin),
                provider=self.clinic,
                accepting_referrals=True,
                phone="1",
                version=seen,
            )
        self.clinic.refresh_from_db()
        self.assertEqual((self.clinic.accepting_referrals, self.clinic.phone), (False, ""))

    def test_a_stale_provider_form_shows_the_conflict_and_keeps_what_was_typed(self) -> None:
        client = self.client_for(self.b[Role.SUPERVISOR])
        url = f"/services/providers/{self.clinic.uuid}/edit/"
        form = client.get(url)
        self.assertContains(form, f'name="version" value="{self.clinic.version}"')
        directory_services.provider_update(actor=self.actor(self.admin), provider=self.clinic, hours="9 to 5")
        page = client.post(
            url,
            {
                "organisation": self.org_b.uuid,
                "name": "B Clinic",
                "services": ["medical"],
                "areas": [self.area.uuid],
                "availability_note": "Closed for Eid, 3 days",
                "accepting_referrals": "on",
                "is_active": "on",
                "version": self.clinic.version,
            },
        )
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, CONFLICT.split(",")[0])
        self.assertContains(page, "Closed for Eid, 3 days")
        self.clinic.refresh_from_db()
        self.assertEqual((self.clinic.hours, self.clinic.availability_note), ("9 to 5", ""))

    def test_the_provider_api_shows_its_version(self) -> None:
        response = self.token_client(self.a[Role.CASEWORKER]).get(
            f"/api/v1/service-providers/{self.clinic.uuid}/"
        )
        self.assertEqual(response.json()["version"], self.clinic.version)


class VersionedPathwayTests(ReferralTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pathway = directory_services.pathway_create(
            actor=self.supervisor, area=self.area, title="A woman at risk", steps=[{"service": "medical"}]
        )

    def test_a_stale_edit_is_refused_and_another_field_edited_meanwhile_is_kept(self) -> None:
        seen, stale = self.pathway.version, Pathway.objects.get(pk=self.pathway.pk)
        directory_services.pathway_update(
            actor=self.supervisor, pathway=self.pathway, description="After the quake."
        )
        with self.assertRaises(EditConflict):
            directory_services.pathway_update(
                actor=self.actor(self.admin), pathway=stale, title="Renamed", version=seen
            )
        directory_services.pathway_update(actor=self.actor(self.admin), pathway=stale, title="A girl at risk")
        self.pathway.refresh_from_db()
        self.assertEqual(
            (self.pathway.title, self.pathway.description), ("A girl at risk", "After the quake.")
        )

    def test_a_stale_pathway_form_shows_the_conflict_and_keeps_what_was_typed(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        url = f"/services/pathways/{self.pathway.uuid}/edit/"
        self.assertContains(client.get(url), f'name="version" value="{self.pathway.version}"')
        directory_services.pathway_update(
            actor=self.actor(self.admin), pathway=self.pathway, description="Changed."
        )
        page = client.post(
            url,
            {
                "area": self.area.uuid,
                "title": "A separated child",
                "version": self.pathway.version,
                "steps-TOTAL_FORMS": "1",
                "steps-INITIAL_FORMS": "0",
                "steps-0-service": "shelter",
            },
        )
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, CONFLICT.split(",")[0])
        self.assertContains(page, "A separated child")
        self.pathway.refresh_from_db()
        self.assertEqual((self.pathway.title, self.pathway.description), ("A woman at risk", "Changed."))
        self.assertEqual(list(self.pathway.steps.values_list("service", flat=True)), ["medical"])
