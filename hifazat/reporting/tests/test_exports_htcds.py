"""Cases in HTCDS v2.0, anonymised and k-anonymous: who is refused, that every combination of quasi-identifiers
occurs at least k times, that nothing identifying leaves, that headers and values are the standard's, that
consent is respected, that the file is taken once and the handover audited."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from openpyxl import load_workbook

from hifazat.core.models import AuditEntry, Job
from hifazat.core.roles import Role
from hifazat.geography.models import AdminArea
from hifazat.people.models import Person
from hifazat.people.services import consent_allows
from hifazat.reporting import exports, htcds

from .export_fixtures import FORMULA, PURPOSE, ExportTestCase

STANDARD = Path(__file__).resolve().parents[2] / "cases" / "standard"  # the standard's own files, shipped
ISO_3166 = re.compile(r"[A-Z]{2}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def standard() -> tuple[set[str], dict[str, set[str]]]:
    """The field names of HTCDS v2.0 and the value names of each picklist, from the standard's own files."""
    with (STANDARD / "htcds-fields.csv").open(encoding="utf-8") as file:
        fields = {row["Field Name including Prefix"] for row in csv.DictReader(file)} - {""}
    picklists: dict[str, set[str]] = {}
    with (STANDARD / "htcds-picklists.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            picklists.setdefault(row["field"], set()).add(row["value_name"])
    return fields, picklists


def xlsx_table(content: bytes) -> tuple[list[dict], list[list]]:
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["cases", "README"]
    rows = [list(r) for r in book["cases"].iter_rows(values_only=True)]
    headers = rows[0]
    table = [{h: ("" if v is None else v) for h, v in zip(headers, r, strict=True)} for r in rows[1:]]
    return table, [list(r) for r in book["README"].iter_rows(values_only=True)]


class CaseExportTests(ExportTestCase):
    def setUp(self) -> None:
        self.analyst = self.actor(self.a[Role.ANALYST])

    def export(self, actor=None, **kw) -> Job:
        with self.captureOnCommitCallbacks(execute=True):
            job = exports.case_export_start(actor=actor or self.analyst, **kw)
        job.refresh_from_db()
        return job

    def take(self, **kw) -> tuple[list[dict], list[list]]:
        job = self.export(**kw)
        _name, _type, content = exports.case_export_download(actor=self.analyst, job=job)
        return xlsx_table(content)

    # --- Who is refused ----------------------------------------------------------------------------------------

    def test_who_is_refused(self) -> None:
        self.assertEqual(self.client.get("/reporting/exports/").status_code, 302)
        allowed_page = {Role.ADMINISTRATOR, Role.SUPERVISOR, Role.ANALYST}
        for role in Role:
            client = self.client_for(self.a[role])
            page = client.get("/reporting/exports/")
            self.assertEqual(page.status_code, 200 if role in allowed_page else 403, role)
            start = client.post("/reporting/exports/cases/", {"file_format": "xlsx"})
            self.assertEqual(start.status_code, 302 if role in {Role.SUPERVISOR, Role.ANALYST} else 403, role)
            if role not in {Role.SUPERVISOR, Role.ANALYST}:
                with self.assertRaises(PermissionDenied):
                    exports.case_export_start(actor=self.actor(self.a[role]))
        self.assertEqual(
            self.client_for(self.a[Role.ADMINISTRATOR]).get("/reporting/exports/").status_code, 200
        )
        self.assertNotContains(
            self.client_for(self.a[Role.ADMINISTRATOR]).get("/reporting/exports/"), "HTCDS v2.0, anonymised"
        )

    def test_another_organisation_gets_a_404_and_another_analyst_no_file(self) -> None:
        job = self.export()
        for user in (self.b[Role.ANALYST], self.b[Role.SUPERVISOR]):
            client = self.client_for(user)
            self.assertEqual(client.get(f"/reporting/exports/cases/{job.uuid}/").status_code, 404)
            self.assertEqual(client.post(f"/reporting/exports/cases/{job.uuid}/download/").status_code, 404)
        # A's supervisor follows the organisation's jobs but cannot take the analyst's file.
        supervisor = self.client_for(self.a[Role.SUPERVISOR])
        self.assertContains(
            supervisor.get(f"/reporting/exports/cases/{job.uuid}/"), "Only the person who asked"
        )
        self.assertEqual(supervisor.post(f"/reporting/exports/cases/{job.uuid}/download/").status_code, 403)
        job.refresh_from_db()
        self.assertFalse(job.result.get("taken"))

    def test_k_below_the_disclosure_threshold_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "between 10"):
            exports.case_export_start(actor=self.analyst, k=3)
        response = self.client_for(self.a[Role.ANALYST]).post(
            "/reporting/exports/cases/", {"file_format": "xlsx", "k": 3}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "10", status_code=400)
        self.assertFalse(Job.objects.filter(kind=exports.CASES_JOB_KIND).exists())

    # --- k-anonymity ---------------------------------------------------------------------------------------------

    def assert_k_anonymous(self, rows: list[dict], k: int) -> None:
        groups = Counter(tuple(row[c] for c in htcds.QI_COLUMNS) for row in rows)
        small = {key: n for key, n in groups.items() if n < k}
        self.assertEqual(small, {}, f"combinations of quasi-identifiers shared by fewer than {k} rows")

    def test_every_combination_of_quasi_identifiers_occurs_at_least_k_times(self) -> None:
        rows, _readme = self.take()
        self.assertEqual(
            len(rows), 23
        )  # 12 at H-11 and 11 at Balakot; the man alone at Battagram is left out
        self.assert_k_anonymous(rows, 10)
        self.assertEqual({r["hfz_Adm2Pcode"] for r in rows}, {"PK701", "PK604"})
        self.assertEqual({r["hfz_AgeBand"] for r in rows}, {"25-59", "18-24"})

    def test_a_larger_k_generalises_before_it_suppresses(self) -> None:
        rows, readme = self.take(k=12)
        self.assert_k_anonymous(rows, 12)
        self.assertGreaterEqual(len(rows), 12)
        self.assertTrue(any(row and row[0] == "Quasi-identifier" for row in readme))

    @override_settings(HIFAZAT_DISCLOSURE_THRESHOLD=3)
    def test_k_follows_the_disclosure_threshold(self) -> None:
        job = self.export()
        self.assertEqual(job.result["k"], 3)
        rows, _readme = xlsx_table(exports.case_export_download(actor=self.analyst, job=job)[2])
        self.assert_k_anonymous(rows, 3)

    def test_places_are_districts_at_the_finest_and_no_date_or_identifier_leaves(self) -> None:
        job = self.export(file_format="csv")
        _name, content_type, content = exports.case_export_download(actor=self.analyst, job=job)
        self.assertEqual(content_type, "application/zip")
        text = b"".join(
            zipfile.ZipFile(io.BytesIO(content)).read(n) for n in ("htcds-cases.csv", "README.txt")
        )
        text = text.decode("utf-8")
        everyone = Person.objects.filter(organisation=self.org_a)
        forbidden = {
            "Bibi",
            "Muhammad Akram",
            "نسرین",
            "+92300",
            "923001234567",
            "61101",
            "CT-2006",
            "Lahore",
        }
        forbidden |= {p.first_name for p in everyone} | {str(p.uuid) for p in everyone}
        forbidden |= {str(c.uuid) for p in everyone for c in p.cases.all()}
        forbidden |= {p.birthdate.isoformat() for p in everyone} | {"2006-03-14", "2006-05-20", "1976-"}
        forbidden |= {"ISB-H11", "H-11", "MAN-BLK", "Balakot", "PK60401", "T-"}
        for value in forbidden:
            self.assertNotIn(value, text, value)
        rows = list(
            csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(content)).read("htcds-cases.csv").decode()))
        )
        self.assertTrue(all(len(r["hfz_Adm2Pcode"]) <= 5 for r in rows))
        self.assertEqual({r["hfz_YearOpened"] for r in rows}, {"2006"})

    # --- The standard --------------------------------------------------------------------------------------------

    def test_headers_are_htcds_field_names_and_values_come_from_its_picklists(self) -> None:
        fields, picklists = standard()
        rows, readme = self.take()
        headers = list(rows[0])
        htcds_headers = [h for h in headers if not h.startswith("hfz_")]
        self.assertEqual([h for h in htcds_headers if h not in fields], [])
        self.assertEqual([h for h in headers if h.startswith("hfz_")], [c.name for c in htcds.ADDED_COLUMNS])
        # Every added field is described in the README as added.
        described = {row[0]: row[1] for row in readme if row and len(row) > 1 and row[1]}
        self.assertTrue(all(described[c.name] == "added by Hifazat" for c in htcds.ADDED_COLUMNS))
        checked = 0
        for row in rows:
            for header in htcds_headers:
                value = row[header]
                if header in picklists:
                    for part in filter(None, str(value).split(htcds.MULTI_SEPARATOR)):
                        self.assertIn(part, picklists[header], header)
                        checked += 1
                elif header in {"prs_Citizenship", "prs_MailingCountry"} and value:
                    self.assertRegex(value, ISO_3166)
        self.assertGreater(checked, 100)
        self.assertIn("ForcedLabour", {r["vic_TypeOfExploitation"] for r in rows})

    def test_the_readme_credits_htcds(self) -> None:
        _rows, readme = self.take()
        text = " ".join(str(cell) for row in readme for cell in row if cell)
        for words in ("Human Trafficking Case Data Standard", "IOM", "CC BY 4.0", "does not endorse"):
            self.assertIn(words, text)
        job = self.export(file_format="csv")
        archive = zipfile.ZipFile(io.BytesIO(exports.case_export_download(actor=self.analyst, job=job)[2]))
        self.assertIn("CC BY 4.0", archive.read("README.txt").decode())

    # --- Consent ------------------------------------------------------------------------------------------------

    def test_only_people_whose_consent_in_force_allows_anonymised_use_are_in_it(self) -> None:
        job = self.export()
        # Ten declined, one withdrawn, one never asked: a supervisor sees 12, an analyst the controlled figure.
        supervisor = self.actor(self.a[Role.SUPERVISOR])
        self.assertEqual(self.export(actor=supervisor).result["without_consent"], 12)
        self.assertEqual(job.result["without_consent"], 10)
        rows, _readme = xlsx_table(exports.case_export_download(actor=self.analyst, job=job)[2])
        # The ten who declined would be a group of ten at Battagram: none of them is there.
        self.assertNotIn("PK603", {r["hfz_Adm2Pcode"] for r in rows})
        # The export's reading of consent is people.services.consent_allows, person by person.
        statuses = {
            row["person_id"]: row["consent"]
            for row in htcds.cases_for_export(self.analyst).values("person_id", "consent")
        }
        for person in Person.objects.filter(pk__in=statuses):
            self.assertEqual(
                statuses[person.pk] == "given", consent_allows(person, PURPOSE), person.first_name
            )

    def test_one_row_per_person_from_their_latest_case_and_never_a_merged_record_or_another_organisation(
        self,
    ) -> None:
        records = list(htcds.latest_per_person(htcds.cases_for_export(self.analyst)))
        people = [r["person_id"] for r in records]
        self.assertEqual(len(people), len(set(people)))
        self.assertNotIn(self.merged.pk, people)
        self.assertNotIn(self.other.pk, people)
        first = next(r for r in records if r["person_id"] == self.people["h11"][0].pk)
        self.assertEqual((first["status"], first["opened_on"].year), ("Active", 2006))

    # --- Spreadsheets, once-only handover, audit -------------------------------------------------------------------

    def test_a_place_name_a_spreadsheet_would_run_is_written_as_text(self) -> None:
        hostile = {"PK701": FORMULA, "PK604": "@SUM(1+1)", "PK7": "\tICT", "PK6": "-2+3+cmd|' /C calc'!A0"}
        for pcode, name in hostile.items():
            AdminArea.objects.filter(pcode=pcode).update(name=name)
        job = self.export()
        content = exports.case_export_download(actor=self.analyst, job=job)[2]
        book = load_workbook(io.BytesIO(content))
        values = {cell.value for row in book["cases"].iter_rows(min_row=2) for cell in row}
        self.assertTrue({"'" + name for name in hostile.values()} <= values)
        self.assertFalse(any(cell.data_type == "f" for row in book["cases"].iter_rows() for cell in row))
        csv_job = self.export(file_format="csv")
        archive = zipfile.ZipFile(
            io.BytesIO(exports.case_export_download(actor=self.analyst, job=csv_job)[2])
        )
        rows = list(csv.DictReader(io.StringIO(archive.read("htcds-cases.csv").decode(), newline="")))
        self.assertEqual({r["hfz_Adm2Name"] for r in rows}, {"'" + FORMULA, "'@SUM(1+1)"})

    def test_the_file_is_kept_encrypted_taken_once_and_the_handover_audited_with_names_and_counts_only(
        self,
    ) -> None:
        job = self.export()
        self.assertEqual(job.status, Job.Status.DONE)
        self.assertNotIn("prs_Gender", job.payload)
        self.assertFalse(
            AuditEntry.objects.filter(object_uuid=job.uuid, action=AuditEntry.Action.EXPORT).exists()
        )
        exports.case_export_download(actor=self.analyst, job=job)
        job.refresh_from_db()
        self.assertEqual(job.payload, "")
        with self.assertRaisesMessage(ValidationError, "already taken"):
            exports.case_export_download(actor=self.analyst, job=job)
        entry = AuditEntry.objects.get(object_uuid=job.uuid, action=AuditEntry.Action.EXPORT)
        self.assertEqual(entry.detail["fields"], htcds.HEADERS)
        # The man alone at Battagram was left out: one, hidden from an analyst (core.disclosure).
        self.assertEqual(
            (entry.detail["rows"], entry.detail["k"], entry.detail["suppressed"]), (23, 10, None)
        )
        self.assertEqual(entry.role, Role.ANALYST)
        for value in ("Nasreen", "Islamabad", "PK701", "Widowed"):
            self.assertNotIn(value, str(entry.detail))

    def test_the_pages_prepare_show_and_hand_over_the_file_once(self) -> None:
        client = self.client_for(self.a[Role.ANALYST])
        page = client.get("/reporting/exports/")
        self.assertContains(page, "HTCDS")
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post("/reporting/exports/cases/", {"file_format": "xlsx", "k": ""})
        job = Job.objects.get(kind=exports.CASES_JOB_KIND)
        self.assertRedirects(response, f"/reporting/exports/cases/{job.uuid}/")
        detail = client.get(response.url)
        self.assertContains(detail, "Take the file (once)")
        # 23 rows (they are in the file) and 1 left out, hidden from an analyst (core.disclosure).
        self.assertEqual(
            (detail.context["figures"]["rows"], detail.context["figures"]["suppressed"]), ("23", "*")
        )
        self.assertEqual(client.get(f"/reporting/exports/cases/{job.uuid}/download/").status_code, 405)
        download = client.post(f"/reporting/exports/cases/{job.uuid}/download/")
        self.assertEqual(download["Content-Type"], XLSX)
        self.assertIn("attachment;", download["Content-Disposition"])
        self.assertIn("no-store", download["Cache-Control"])
        again = client.post(f"/reporting/exports/cases/{job.uuid}/download/", follow=True)
        self.assertContains(again, "already taken")

    def test_a_maker_who_lost_the_role_gets_no_file(self) -> None:
        from hifazat.accounts.models import Membership

        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            job = exports.case_export_start(actor=self.analyst)
        Membership.objects.filter(user=self.a[Role.ANALYST]).update(role=Role.CASEWORKER)
        for callback in callbacks:
            callback()
        job.refresh_from_db()
        self.assertEqual((job.status, job.payload), (Job.Status.FAILED, ""))

    def test_the_page_is_in_urdu(self) -> None:
        client = self.client_for(self.a[Role.ANALYST])
        client.cookies["django_language"] = "ur"
        page = client.get("/reporting/exports/", HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, "برآمدات")
        self.assertNotContains(page, "Cases in HTCDS v2.0, anonymised")
