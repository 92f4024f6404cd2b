"""ODK Collect against the OpenRosa endpoints, through the emulator: who is refused first, then the form list,
downloads, and submissions (split, resent, conflicting, chunked, with many attachments)."""

from __future__ import annotations

import hashlib
from unittest import mock

from django.test import override_settings

from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.intake import services
from hifazat.intake.models import Submission
from hifazat.intake.tests.base import ADULT, CHILD, FORM_ID, IntakeTestCase, household_xml
from hifazat.intake.tests.collect import CollectError
from hifazat.people.models import Consent, Household, Person, PersonMatchKey, Vulnerability


class RefusalTests(IntakeTestCase):
    def test_no_credentials_get_the_basic_challenge_with_openrosa_headers(self) -> None:
        collect = self.collect_for(self.caseworker)
        response = collect.client.get(
            f"/collect/{collect.server_url.rsplit('/', 1)[1]}/formList", secure=True
        )
        self.assertEqual(response.status_code, 401)
        self.assertTrue(response["WWW-Authenticate"].startswith('Basic realm="'))
        self.assertEqual(response["X-OpenRosa-Version"], "1.0")

    def test_a_wrong_secret_is_refused_with_401_after_the_challenge(self) -> None:
        collect = self.collect_for(self.caseworker, password="guessed")
        with self.assertRaisesMessage(CollectError, "formList answered 401"):
            collect.form_list()

    def test_another_users_token_with_ones_own_credentials_is_refused(self) -> None:
        mine = self.collect_for(self.caseworker)
        other = self.collect_for(self.supervisor)
        mine.server_url = other.server_url
        with self.assertRaisesMessage(CollectError, "formList answered 401"):
            mine.form_list()

    def test_credentials_over_plain_http_are_refused(self) -> None:
        collect = self.collect_for(self.caseworker)
        response = collect.client.get(collect.server_url.replace("https://testserver", "") + "/formList")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["X-OpenRosa-Version"], "1.0")

    @override_settings(DEBUG=False)
    def test_valid_basic_credentials_over_plain_http_are_refused_in_production(self) -> None:
        # Production settings (``DEBUG`` off): right credentials sent in the clear are refused before they are
        # checked, so a server reached over plain HTTP never accepts a secret that crossed the network readable.
        collect = self.collect_for(self.caseworker)
        path = collect.server_url.replace("https://testserver", "")
        for method, url in (("GET", path + "/formList"), ("HEAD", path + "/submission")):
            with self.subTest(method=method), mock.patch("hifazat.intake.openrosa.authenticate") as checked:
                response = collect.client.generic(method, url, HTTP_AUTHORIZATION=collect._basic())
                self.assertEqual(response.status_code, 403)
                checked.assert_not_called()
        self.assertEqual(collect.client.generic("HEAD", path + "/submission", secure=True).status_code, 401)

    @override_settings(DEBUG=False, SECURE_SSL_REDIRECT=True)
    def test_with_https_on_plain_http_is_redirected_before_any_credential_is_read(self) -> None:
        # ``HIFAZAT_HTTPS`` (production) sets ``SECURE_SSL_REDIRECT``: Django's security middleware answers first.
        collect = self.collect_for(self.caseworker)
        path = collect.server_url.replace("https://testserver", "") + "/formList"
        with mock.patch("hifazat.intake.openrosa.authenticate") as checked:
            response = collect.client.get(path, HTTP_AUTHORIZATION=collect._basic())
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))
        checked.assert_not_called()

    def test_a_role_without_field_forms_is_refused_with_403(self) -> None:
        for role in (Role.ADMINISTRATOR, Role.ANALYST, Role.DONOR_VIEWER):
            with self.subTest(role=role):
                collect = self.collect_for(self.a[role])
                with self.assertRaisesMessage(CollectError, "formList answered 403"):
                    collect.form_list()

    def test_another_organisations_form_is_not_found(self) -> None:
        collect = self.collect_for(self.b[Role.CASEWORKER])
        self.assertEqual(collect.form_list(), [])
        response = collect.request("GET", f"https://testserver/collect/forms/{self.form.uuid}/form.xml")
        self.assertEqual(response.status_code, 404)
        response = collect.request("GET", f"https://testserver/collect/forms/{self.form.uuid}/manifest")
        self.assertEqual(response.status_code, 404)

    def test_a_submission_to_another_organisations_form_is_not_found_and_not_kept(self) -> None:
        collect = self.collect_for(self.b[Role.CASEWORKER])
        collect.preflight()
        xml = household_xml(members=[ADULT])
        response = collect.post([("xml_submission_file", "submission.xml", "text/xml", xml)])
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Submission.objects.exists())


class FormListTests(IntakeTestCase):
    def test_form_list_hash_is_the_md5_of_the_bytes_downloaded(self) -> None:
        collect = self.collect_for(self.caseworker)
        [entry] = collect.form_list()
        self.assertEqual(
            (entry.form_id, entry.version, entry.name), (FORM_ID, self.form.version, "Household registration")
        )
        xml = collect.download(entry)
        self.assertEqual(entry.hash, "md5:" + hashlib.md5(xml).hexdigest())
        self.assertIn(b"<members", xml)
        self.assertIn(b"Urdu (ur)", xml)

    def test_manifest_lists_the_media_with_their_hashes(self) -> None:
        collect = self.collect_for(self.caseworker)
        [entry] = collect.form_list()
        self.assertEqual(collect.media(entry), {"sites.csv": b"name,label\nISB-H11,H-11 Relief Camp\n"})

    def test_form_id_filter_and_inactive_forms(self) -> None:
        collect = self.collect_for(self.caseworker)
        self.assertEqual(len(collect.form_list(FORM_ID)), 1)
        self.assertEqual(collect.form_list("another_form"), [])
        services.form_set_active(actor=Actor.for_user(self.supervisor), form=self.form, active=False)
        self.assertEqual(collect.form_list(), [])

    def test_no_trailing_slash_redirect_and_no_language_prefix(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.form_list()
        self.assertTrue(all(r.status_code == 200 for r in collect.responses[1:]))
        self.assertTrue(collect.server_url.startswith("https://testserver/collect/"))


class SubmissionTests(IntakeTestCase):
    def test_head_preflight_answers_204_with_the_openrosa_headers(self) -> None:
        collect = self.collect_for(self.caseworker)
        self.assertEqual(collect.preflight(), 10 * 1024 * 1024)
        response = collect.responses[-1]
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response["X-OpenRosa-Version"], "1.0")

    def test_a_submission_registers_the_household_and_its_members_with_consent(self) -> None:
        collect = self.collect_for(self.caseworker)
        [response] = collect.submit(
            household_xml(members=[CHILD, ADULT], photo="consent.jpg"), {"consent.jpg": b"\xff\xd8jpeg"}
        )
        self.assertEqual(response.status_code, 201)
        self.assertIn(b"OpenRosaResponse", response.content)
        submission = Submission.objects.get()
        self.assertEqual(submission.status, Submission.Status.STORED, submission.error)
        household = Household.objects.get(uuid=submission.result["household"])
        self.assertEqual(
            (household.organisation, household.site, household.shelter_number), (self.org_a, self.site, "T-7")
        )
        head = Person.objects.get(first_name="Nasreen")
        child = Person.objects.get(first_name="Ayesha")
        self.assertEqual(household.head, head)
        self.assertEqual(head.created_by, self.caseworker)
        self.assertTrue(child.birthdate_is_estimate)
        consent = Consent.objects.get(person=child, purpose="registration")
        self.assertEqual((consent.given_by, consent.child_view), ("caregiver", "agrees"))
        self.assertTrue(PersonMatchKey.objects.filter(person=head).exists())
        self.assertTrue(Vulnerability.objects.filter(person=head, group="female_headed_household").exists())
        self.assertEqual(bytes(submission.attachments.get().content), b"\xff\xd8jpeg")
        self.assertTrue(AuditEntry.objects.filter(object_uuid=submission.uuid, action="import").exists())

    def test_collect_is_answered_once_the_submission_is_kept_and_the_worker_stores_it(self) -> None:
        """The endpoint keeps the submission and queues its storing (the duplicate check reads the registry and
        takes longer than receiving); the worker's task then stores it on behalf of the sender."""
        from django_tasks import default_task_backend

        from hifazat.intake import tasks

        queue = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        with override_settings(TASKS=queue):
            [response] = self.collect_for(self.caseworker).submit(household_xml(members=[ADULT]))
            queued = list(default_task_backend.results)
        self.assertEqual(response.status_code, 201)
        submission = Submission.objects.get()
        self.assertEqual(submission.status, Submission.Status.RECEIVED)
        self.assertFalse(Person.objects.exists())
        self.assertEqual(
            [(result.task.func, result.args) for result in queued],
            [(tasks.submission_store.func, [str(submission.uuid)])],
        )
        self.assertEqual(tasks.submission_store.call(str(submission.uuid)), Submission.Status.STORED)
        self.assertEqual(tasks.submission_store.call(str(submission.uuid)), Submission.Status.STORED)  # again
        self.assertEqual(Person.objects.get().created_by, self.caseworker)

    def test_a_sender_who_left_the_organisation_before_the_storing_leaves_it_failed_with_the_reason(
        self,
    ) -> None:
        from hifazat.intake import tasks

        queue = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        with override_settings(TASKS=queue):
            self.collect_for(self.caseworker).submit(household_xml(members=[ADULT]))
        self.caseworker.memberships.update(is_active=False)
        submission = Submission.objects.get()
        self.assertEqual(tasks.submission_store.call(str(submission.uuid)), Submission.Status.FAILED)
        submission.refresh_from_db()
        self.assertIn("no longer a member", submission.error)
        self.assertFalse(Person.objects.exists())

    def test_an_attachment_named_in_utf8_keeps_its_name(self) -> None:
        self.collect_for(self.caseworker).submit(household_xml(members=[ADULT]), {"تصویر-é.jpg": b"jpeg"})
        self.assertEqual(Submission.objects.get().attachments.get().name, "تصویر-é.jpg")

    def test_a_member_who_declined_is_not_recorded(self) -> None:
        collect = self.collect_for(self.caseworker)
        declined = {**CHILD, "consent_registration": "declined"}
        collect.submit(household_xml(members=[ADULT, declined]))
        submission = Submission.objects.get()
        self.assertEqual((len(submission.result["people"]), submission.result["declined"]), (1, 1))
        self.assertFalse(Person.objects.filter(first_name="Ayesha").exists())

    def test_an_identical_resubmission_is_accepted_with_202_and_stored_once(self) -> None:
        collect = self.collect_for(self.caseworker)
        xml = household_xml(members=[ADULT])
        self.assertEqual(collect.submit(xml)[0].status_code, 201)
        self.assertEqual(collect.submit(xml)[0].status_code, 202)
        self.assertEqual(
            (Submission.objects.count(), Household.objects.count(), Person.objects.count()), (1, 1, 1)
        )

    def test_the_same_instance_with_other_content_is_a_conflict(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.submit(household_xml(members=[ADULT], instance_id="uuid:same"))
        with self.assertRaisesMessage(CollectError, "submission answered 409"):
            collect.submit(household_xml(members=[{**ADULT, "first_name": "Other"}], instance_id="uuid:same"))
        self.assertEqual(Person.objects.count(), 1)

    def test_a_split_submission_is_stored_once_all_its_parts_arrived(self) -> None:
        collect = self.collect_for(self.caseworker)
        photos = {f"photo-{n}.jpg": bytes([n]) * 3000 for n in range(5)}
        with mock.patch("hifazat.intake.openrosa.ACCEPT_CONTENT_LENGTH", 5000):
            responses = collect.submit(household_xml(members=[ADULT]), photos)
        self.assertGreater(len(responses), 2)
        self.assertEqual([r.status_code for r in responses], [201] + [202] * (len(responses) - 1))
        submission = Submission.objects.get()
        self.assertEqual(submission.status, Submission.Status.STORED)
        self.assertEqual(sorted(submission.attachments.values_list("name", flat=True)), sorted(photos))
        self.assertEqual(Person.objects.count(), 1)

    def test_an_incomplete_submission_waits_for_the_rest(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.preflight()
        xml = household_xml(members=[ADULT])
        response = collect.post(
            [
                ("xml_submission_file", "s.xml", "text/xml", xml),
                ("a.jpg", "a.jpg", "image/jpeg", b"a"),
                ("*isIncomplete*", "", "text/plain", b"yes"),
            ]
        )
        self.assertEqual(response.status_code, 201)
        submission = Submission.objects.get()
        self.assertEqual((submission.complete, submission.status), (False, Submission.Status.RECEIVED))
        self.assertFalse(Person.objects.exists())

    def test_more_than_a_hundred_attachments_in_one_post(self) -> None:
        collect = self.collect_for(self.caseworker)
        photos = {f"p{n}.jpg": b"x" * 10 for n in range(102)}
        [response] = collect.submit(household_xml(members=[ADULT]), photos)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Submission.objects.get().attachments.count(), 102)

    def test_a_chunked_request_body_is_read(self) -> None:
        collect = self.collect_for(self.caseworker)
        [response] = collect.submit(household_xml(members=[ADULT]), {"a.jpg": b"jpeg"}, chunked=True)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Submission.objects.get().status, Submission.Status.STORED)

    def test_a_full_batch_larger_than_djangos_memory_limit_is_accepted(self) -> None:
        collect = self.collect_for(self.caseworker)
        photo = b"x" * (10 * 1024 * 1024 - 4096)  # within the announced length, over it with the headers
        with self.settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10 * 1024 * 1024):
            [response] = collect.submit(household_xml(members=[ADULT]), {"big.jpg": photo})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(len(bytes(Submission.objects.get().attachments.get().content)), len(photo))

    def test_a_body_larger_than_announced_is_refused_with_413_and_nothing_kept(self) -> None:
        collect = self.collect_for(self.caseworker)
        for chunked in (False, True):
            with self.subTest(chunked=chunked), mock.patch("hifazat.intake.openrosa.MAX_BODY", 2000):
                xml = household_xml(members=[ADULT])
                response = collect.post(
                    [
                        ("xml_submission_file", "s.xml", "text/xml", xml),
                        ("a.jpg", "a.jpg", "image/jpeg", b"a" * 3000),
                    ],
                    chunked=chunked,
                )
                self.assertEqual(response.status_code, 413)
        self.assertFalse(Submission.objects.exists())

    def test_a_post_without_the_xml_part_is_refused_saying_so(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.preflight()
        response = collect.post([("a.jpg", "a.jpg", "image/jpeg", b"a")])
        self.assertContains(response, "no xml_submission_file part", status_code=400)

    def test_a_submission_that_cannot_be_stored_is_kept_with_its_reason(self) -> None:
        collect = self.collect_for(self.caseworker)
        child_alone = {**CHILD, "consent_given_by": "self", "consent_given_by_name": ""}
        [response] = collect.submit(household_xml(members=[ADULT, child_alone]))
        self.assertEqual(response.status_code, 201)  # received: Collect must not send it again
        submission = Submission.objects.get()
        self.assertEqual(submission.status, Submission.Status.FAILED)
        self.assertIn("members[2].given_by", submission.error)
        self.assertFalse(Household.objects.exists())  # nothing half-written
        self.assertFalse(Person.objects.exists())

    def test_an_unknown_site_fails_with_the_field_named(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.submit(household_xml(members=[ADULT], site_code="NOPE-1"))
        self.assertIn("site_code: no site has the code 'NOPE-1'", Submission.objects.get().error)

    def test_an_edit_replaces_a_submission_that_was_not_stored(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.submit(household_xml(members=[ADULT], site_code="NOPE-1", instance_id="uuid:first"))
        [response] = collect.submit(
            household_xml(members=[ADULT], instance_id="uuid:second", deprecated_id="uuid:first")
        )
        self.assertEqual(response.status_code, 201)
        first, second = (
            Submission.objects.get(instance_id="uuid:first"),
            Submission.objects.get(instance_id="uuid:second"),
        )
        self.assertEqual(
            (first.status, second.status, second.replaces),
            (Submission.Status.SUPERSEDED, Submission.Status.STORED, first),
        )
        self.assertEqual(Household.objects.count(), 1)

    def test_an_edit_of_a_stored_submission_is_kept_for_review_not_stored_twice(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.submit(household_xml(members=[ADULT], instance_id="uuid:first"))
        collect.submit(household_xml(members=[ADULT], instance_id="uuid:second", deprecated_id="uuid:first"))
        second = Submission.objects.get(instance_id="uuid:second")
        self.assertEqual(second.status, Submission.Status.FAILED)
        self.assertIn("already stored", second.error)
        self.assertEqual(Household.objects.count(), 1)

    def test_a_likely_duplicate_is_held_for_review_not_registered_twice(self) -> None:
        collect = self.collect_for(self.caseworker)
        collect.submit(household_xml(members=[ADULT]))
        first = Person.objects.get()
        [response] = collect.submit(household_xml(members=[ADULT]))  # registered again on another visit
        self.assertEqual(response.status_code, 201)
        held = Submission.objects.order_by("created_at", "pk").last()
        self.assertEqual(held.status, Submission.Status.REVIEW)
        self.assertEqual(held.result["candidates"], {"members[1]": [str(first.uuid)]})
        self.assertEqual((Person.objects.count(), Household.objects.count()), (1, 1))

    def test_a_form_version_no_longer_served_still_receives(self) -> None:
        services.form_set_active(actor=Actor.for_user(self.supervisor), form=self.form, active=False)
        collect = self.collect_for(self.caseworker)
        self.assertEqual(collect.form_list(), [])
        [response] = collect.submit(household_xml(members=[ADULT]))
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Submission.objects.get().status, Submission.Status.STORED)
