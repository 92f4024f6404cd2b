"""The spreadsheet import of households and people: who may import, the dry run listing every error, the
all-or-nothing commit, importing the same file twice, XLSX and HXL headers, Urdu names, duplicates."""

from __future__ import annotations

import io
import shutil
import tempfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from hifazat.core.models import AuditEntry, Job
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.intake.sheet_services import SheetImport
from hifazat.intake.sheets import PersonSheet, hxl_row
from hifazat.people import services
from hifazat.people.models import Consent, DuplicateSuspicion, Household, Person, PersonMatchKey
from hifazat.people.testing import make_site

HEADER = (
    "household_key,first_name,second_name,first_name_ur,second_name_ur,parentage_word,parentage_name,gender,"
    "birthdate,age_years,marital_status,relationship_to_head,phone,identity_number,site_code,shelter_number,"
    "consent,consent_given_by,consent_given_by_name,child_view"
)
ROWS = [
    "HH-1,Amina,Bibi,آمنہ,بی بی,wife_of,Gul Khan,Feminine,,34,Widowed,head,0300-1234567,,ISB-H11,T-12,yes,self,,",
    "HH-1,Bilal,Khan,بلال,خان,son_of,Gul Khan,Male,2015-03-04,,,child,,,ISB-H11,T-12,yes,caregiver,Amina Bibi,agrees",
    "HH-2,Rashid,Ali,,,s/o,Karim,M,,52,Married,head,,35202-1234567-1,ISB-H11,T-40,yes,,,",
]
GOOD = "\n".join([HEADER, *ROWS]) + "\n"
# Row 2: two errors in the form's fields and a refused consent; row 3: an unknown site and a phone the service
# cannot read; row 4: a child without a caregiver's consent or their own view, and a second head of HH-1.
BAD = (
    "\n".join(
        [
            HEADER,
            "HH-1,Amina,Bibi,,,,,Woman,,abc,Widowed,head,,,ISB-H11,T-12,no,self,,",
            "HH-2,Rashid,Ali,,,,,Male,,52,,head,12,,NOWHERE,T-40,yes,,,",
            "HH-1,Bilal,Khan,,,,,Male,2015-03-04,,,head,,,ISB-H11,T-12,yes,self,,",
        ]
    )
    + "\n"
)


class SheetTestCase(HifazatTestCase):
    def setUp(self) -> None:
        self.site = make_site()
        # Uploaded files go to a folder of the test's own, removed afterwards.
        media = tempfile.mkdtemp(prefix="hifazat-test-sheets-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        self.enterContext(override_settings(MEDIA_ROOT=media))

    def upload(self, content: bytes | str, name: str = "people.csv", user=None):
        user = user or self.a[Role.CASEWORKER]
        client = self.client_for(user)
        data = content.encode("utf-8") if isinstance(content, str) else content
        response = client.post("/intake/sheets/", {"file": SimpleUploadedFile(name, data)})
        job = Job.objects.filter(kind="intake.people").latest("created_at")
        return client, response, job

    def import_whole(self, content: bytes | str, name: str = "people.csv") -> Job:
        client, _, job = self.upload(content, name)
        client.post(f"/intake/sheets/{job.uuid}/commit/")
        job.refresh_from_db()
        return job


class WhoIsRefusedTests(SheetTestCase):
    def test_only_those_who_register_people_may_import(self) -> None:
        for role in (Role.ADMINISTRATOR, Role.ANALYST, Role.DONOR_VIEWER, Role.MONITORING_FOCAL_POINT):
            client = self.client_for(self.a[role])
            self.assertEqual(client.get("/intake/sheets/").status_code, 403, role)
            upload = SimpleUploadedFile("p.csv", GOOD.encode())
            self.assertEqual(client.post("/intake/sheets/", {"file": upload}).status_code, 403, role)
            self.assertEqual(client.get("/intake/sheets/template.csv").status_code, 403, role)
        self.assertFalse(Job.objects.exists())
        self.assertFalse(Person.objects.exists())

    def test_another_organisation_cannot_see_or_commit_an_import(self) -> None:
        _, _, job = self.upload(GOOD)
        outsider = self.client_for(self.b[Role.SUPERVISOR])
        self.assertEqual(outsider.get(f"/intake/sheets/{job.uuid}/").status_code, 404)
        self.assertEqual(outsider.post(f"/intake/sheets/{job.uuid}/commit/").status_code, 404)
        self.assertFalse(Person.objects.exists())


class DryRunTests(SheetTestCase):
    def test_every_error_of_every_row_is_listed_with_row_and_column_and_nothing_is_written(self) -> None:
        client, response, job = self.upload(BAD)
        self.assertRedirects(response, f"/intake/sheets/{job.uuid}/")
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertEqual(
            [(e["row"], e["column"]) for e in job.errors],
            [
                (2, "consent"),
                (2, "gender"),
                (2, "age_years"),
                (3, "site_code"),
                (3, "phone"),
                (4, "consent_given_by"),
                (4, "child_view"),
                (4, "relationship_to_head"),
            ],
        )
        messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
        self.assertIn("Woman", messages[(2, "gender")])
        self.assertIn("NOWHERE", messages[(3, "site_code")])
        self.assertIn("row 2", messages[(4, "relationship_to_head")])
        page = client.get(f"/intake/sheets/{job.uuid}/")
        self.assertContains(page, "Nothing was written")
        self.assertContains(page, "NOWHERE is not an open site.")
        # A refused file cannot be committed, and nothing was written.
        client.post(f"/intake/sheets/{job.uuid}/commit/")
        self.assertEqual(
            (Person.objects.count(), Household.objects.count(), Consent.objects.count()), (0, 0, 0)
        )

    def test_a_file_without_the_needed_columns_says_which(self) -> None:
        _, _, job = self.upload("household_key,first_name\nHH-1,Amina\n")
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertIn("gender, site_code, consent", job.errors[0]["message"])

    def test_a_file_that_is_not_utf8_or_not_a_workbook_is_refused_with_the_reason(self) -> None:
        _, _, job = self.upload(GOOD.encode("utf-16"))
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertIn("not UTF-8", job.errors[0]["message"])
        _, _, job = self.upload(b"PK\x03\x04 not really a workbook", name="people.xlsx")
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertIn("not a readable XLSX workbook", job.errors[0]["message"])
        self.assertFalse(Person.objects.exists())

    def test_the_uploaded_file_is_deleted_when_the_import_ends(self) -> None:
        from django.core.files.storage import default_storage

        _, _, refused = self.upload(BAD)
        refused.refresh_from_db()
        self.assertTrue(refused.payload.startswith("intake/sheets/"))
        self.assertFalse(default_storage.exists(refused.payload))
        client, _, job = self.upload(GOOD)
        job.refresh_from_db()
        self.assertTrue(default_storage.exists(job.payload))  # kept for the commit
        client.post(f"/intake/sheets/{job.uuid}/commit/")
        self.assertFalse(default_storage.exists(job.payload))

    def test_the_commit_checks_again_and_writes_nothing_when_the_registry_changed(self) -> None:
        client, _, job = self.upload(GOOD)
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.READY)
        self.site.is_open = False  # the site closed between the dry run and the commit
        self.site.save(update_fields=["is_open"])
        client.post(f"/intake/sheets/{job.uuid}/commit/")
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertEqual(
            {(e["row"], e["column"]) for e in job.errors},
            {(2, "site_code"), (3, "site_code"), (4, "site_code")},
        )
        self.assertEqual((Person.objects.count(), Household.objects.count()), (0, 0))


class CommitTests(SheetTestCase):
    def test_a_good_file_is_checked_then_committed_whole(self) -> None:
        client, _, job = self.upload(GOOD)
        job.refresh_from_db()
        self.assertEqual(
            (job.status, job.result),
            (Job.Status.READY, {"rows": 3, "new": 3, "skipped": 0, "households": 2}),
        )
        self.assertFalse(Person.objects.exists())  # the dry run wrote nothing
        self.assertContains(client.get(f"/intake/sheets/{job.uuid}/"), "Commit: register every new person")
        client.post(f"/intake/sheets/{job.uuid}/commit/")
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.DONE)
        self.assertEqual(job.result["new"], 3)
        amina = Person.objects.get(first_name="Amina")
        bilal = Person.objects.get(first_name="Bilal")
        self.assertEqual(amina.household, bilal.household)
        self.assertEqual(amina.household.head, amina)
        self.assertEqual((amina.household.site, amina.household.shelter_number), (self.site, "T-12"))
        self.assertEqual(amina.phone, "+923001234567")
        self.assertTrue(amina.birthdate_is_estimate)
        self.assertEqual(Person.objects.get(first_name="Rashid").identity_number, "3520212345671")
        consent = bilal.consents.get()
        self.assertEqual(
            (consent.purpose, consent.status, consent.given_by, consent.given_by_name, consent.child_view),
            ("registration", "given", "caregiver", "Amina Bibi", "agrees"),
        )
        self.assertEqual(
            set(amina.vulnerabilities.values_list("group", flat=True)),
            {"separated_or_widowed_woman", "female_headed_household", "widowed_single_parent"},
        )
        self.assertTrue(PersonMatchKey.objects.filter(person=amina).exists())
        self.assertTrue(AuditEntry.objects.filter(action="import", object_uuid=job.uuid).exists())
        self.assertEqual(AuditEntry.objects.filter(action="create", object_type="people.person").count(), 3)

    def test_urdu_names_survive_the_import(self) -> None:
        self.import_whole(GOOD)
        amina = Person.objects.get(first_name="Amina")
        self.assertEqual((amina.first_name_ur, amina.second_name_ur), ("آمنہ", "بی بی"))
        self.assertEqual(Person.objects.get(first_name="Bilal").full_name_ur, "بلال خان")

    def test_the_same_file_twice_creates_nothing_new(self) -> None:
        self.import_whole(GOOD)
        before = (Person.objects.count(), Household.objects.count(), Consent.objects.count())
        client, _, again = self.upload(GOOD)
        again.refresh_from_db()
        self.assertEqual(again.result, {"rows": 3, "new": 0, "skipped": 3, "households": 0})
        client.post(f"/intake/sheets/{again.uuid}/commit/")
        again.refresh_from_db()
        self.assertEqual(again.status, Job.Status.DONE)
        self.assertEqual((Person.objects.count(), Household.objects.count(), Consent.objects.count()), before)
        self.assertEqual(before, (3, 2, 3))

    def test_a_new_member_in_a_file_imported_again_joins_the_registered_household(self) -> None:
        self.import_whole(GOOD)
        added = (
            GOOD
            + "HH-1,Sana,Bibi,,,daughter_of,Gul Khan,Female,2018-01-01,,,child,,,ISB-H11,T-12,yes,guardian,Amina Bibi,not_able\n"
        )
        job = self.import_whole(added)
        self.assertEqual((job.result["new"], job.result["skipped"], job.result["households"]), (1, 3, 0))
        self.assertEqual(
            Person.objects.get(first_name="Sana").household, Person.objects.get(first_name="Amina").household
        )

    def test_an_xlsx_and_a_csv_with_hxl_hashtags_import_the_same(self) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(hxl_row())  # hashtags alone, no column names
        for line in ROWS:
            cells = dict(zip(HEADER.split(","), line.split(","), strict=True))
            sheet.append([cells.get(column) or None for column in PersonSheet.columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        job = self.import_whole(buffer.getvalue(), name="people.xlsx")
        self.assertEqual((job.status, job.result["new"]), (Job.Status.DONE, 3))
        from_xlsx = sorted(
            Person.objects.values_list("first_name", "first_name_ur", "birthdate", "gender", "phone_index")
        )

        # The same rows as CSV with a second header row of hashtags, whose columns are in another order: each
        # row is recognised as already imported.
        columns = HEADER.split(",")
        order = list(reversed(range(len(columns))))
        tags = dict(zip(PersonSheet.columns, hxl_row(), strict=True))
        lines = [",".join(f"label {i}" for i in order), ",".join(tags[columns[i]] for i in order)]
        lines += [",".join(line.split(",")[i] for i in order) for line in ROWS]
        _, _, csv_job = self.upload("\n".join(lines) + "\n")
        csv_job.refresh_from_db()
        self.assertEqual(csv_job.result, {"rows": 3, "new": 0, "skipped": 3, "households": 0})

        Person.objects.all().delete()
        Consent.objects.all().delete()
        Household.objects.update(head=None)
        Household.objects.all().delete()
        self.import_whole("\n".join(lines) + "\n")
        from_csv = sorted(
            Person.objects.values_list("first_name", "first_name_ur", "birthdate", "gender", "phone_index")
        )
        self.assertEqual(from_csv, from_xlsx)

    def test_a_likely_duplicate_of_a_registered_person_goes_to_the_review_queue(self) -> None:
        caseworker = self.actor(self.a[Role.CASEWORKER])
        household = services.household_register(actor=caseworker, site=self.site, shelter_number="C-9")
        registered = services.person_register(
            actor=caseworker,
            household=household,
            first_name="Rashid",
            second_name="Ali",
            parentage_word="son_of",
            parentage_name="Karim",
            gender="Masculine",
            age_years=52,
            relationship_to_head="head",
            marital_status="Married",
        )
        with self.captureOnCommitCallbacks(execute=True):  # the scan is queued once the import is written
            job = self.import_whole(GOOD)
        self.assertEqual(job.result["new"], 3)  # another shelter: not the same row, so registered
        imported = Person.objects.exclude(pk=registered.pk).get(first_name="Rashid")
        suspicion = DuplicateSuspicion.objects.get()
        self.assertEqual({suspicion.person_a_id, suspicion.person_b_id}, {registered.pk, imported.pk})
        self.assertEqual(suspicion.status, DuplicateSuspicion.Status.OPEN)
        self.assertTrue(Person.objects.filter(pk=registered.pk, merged_into__isnull=True).exists())


class TemplateTests(SheetTestCase):
    def test_the_template_has_the_columns_their_hashtags_and_an_example_that_the_import_reads(self) -> None:
        response = self.client_for(self.a[Role.SUPERVISOR]).get("/intake/sheets/template.csv")
        self.assertEqual(response.status_code, 200)
        text = response.content.decode("utf-8-sig")
        header, tags, example = text.splitlines()
        self.assertEqual(header.split(","), list(PersonSheet.columns))
        self.assertEqual(tags.split(","), hxl_row())
        self.assertIn("آمنہ", example)
        # The example row, with a site filled in, passes the dry run.
        outcome = SheetImport(actor=self.actor(self.a[Role.SUPERVISOR]), commit=False).run(
            io.BytesIO(text.replace(",T-12,", ",T-12,").replace(",,T-12", ",ISB-H11,T-12").encode()),
            xlsx=False,
        )
        self.assertEqual((outcome.errors, outcome.new), ([], 1))
