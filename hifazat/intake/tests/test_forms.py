"""Publishing XLSForms: who may, what is checked, and the forms Hifazat ships."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyxform.xls2xform import convert

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.intake import formdefs
from hifazat.intake.models import Purpose, XForm
from hifazat.intake.services import md5_hex
from hifazat.intake.tests.base import FORM_ID, SHIPPED, IntakeTestCase
from hifazat.livelihoods.models import OutcomeVisit
from hifazat.monitoring.models import InvolvedRole, ReportKind


def workbook(version: str, **settings) -> bytes:
    definition = {
        **formdefs.HOUSEHOLD_REGISTRATION,
        "settings": {**formdefs.HOUSEHOLD_REGISTRATION["settings"], "version": version, **settings},
    }
    return formdefs.workbook_bytes(definition)


class ShippedFormTests(IntakeTestCase):
    def test_the_committed_household_form_is_the_definition(self) -> None:
        committed = convert(SHIPPED, validate=False).xform
        defined = convert(formdefs.workbook_bytes(formdefs.HOUSEHOLD_REGISTRATION), validate=False).xform
        self.assertEqual(committed, defined)

    def test_every_shipped_form_converts_and_is_its_definition_in_english_and_urdu(self) -> None:
        generated = {name: make() for name, make in formdefs.GENERATED.items()}
        self.assertEqual(set(formdefs.PURPOSES), {*formdefs.SHIPPED, *generated})
        for name, definition in {**formdefs.SHIPPED, **generated}.items():
            with self.subTest(form=name):
                committed = convert((formdefs.FORMS_DIR / name).read_bytes(), validate=False).xform
                self.assertEqual(
                    committed, convert(formdefs.workbook_bytes(definition), validate=False).xform
                )
                self.assertEqual(definition["settings"]["form_id"], f"hifazat_{name.removesuffix('.xlsx')}")
                self.assertTrue(definition["settings"]["version"])
                self.assertIn(formdefs.PURPOSES[name], Purpose.values)
                for row in definition["survey"]:
                    self.assertEqual(bool(row[2]), bool(row[3]), f"{name}: {row[1]} needs English and Urdu")
                    if row[6]:
                        self.assertTrue(
                            row[7] and row[8], f"{name}: {row[1]}'s constraint needs both messages"
                        )
                for row in definition["choices"]:
                    self.assertTrue(row[2] and row[3], f"{name}: choice {row[1]} needs English and Urdu")

    def test_the_activity_forms_choices_are_the_models_codes(self) -> None:
        def values(definition: dict, list_name: str) -> set[str]:
            return {row[1] for row in definition["choices"] if row[0] == list_name}

        self.assertEqual(values(formdefs.MONITORING_REPORT, "report_kind"), set(ReportKind.values))
        self.assertLessEqual(values(formdefs.MONITORING_REPORT, "involved_role"), set(InvolvedRole.values))
        self.assertEqual(values(formdefs.LIVELIHOOD_VISIT, "employment"), set(OutcomeVisit.Employment.values))
        self.assertLessEqual(
            values(formdefs.LIVELIHOOD_VISIT, "visit_status"), set(OutcomeVisit.Status.values)
        )

    def test_the_household_form_has_a_member_repeat_in_english_and_urdu(self) -> None:
        xml = convert(SHIPPED, validate=False).xform
        self.assertIn('<members jr:template="">', xml)
        self.assertIn('lang="English (en)"', xml)
        self.assertIn('lang="Urdu (ur)"', xml)
        self.assertIn("گھرانے کے افراد", xml)


class WorkbookTests(IntakeTestCase):
    def test_a_cell_that_would_run_as_a_formula_is_written_as_text(self) -> None:
        import io

        from openpyxl import load_workbook

        definition = {
            "survey": [["text", "=HYPERLINK(1)", "@A1", "x"]],
            "choices": [],
            "settings": {"form_id": "f"},
        }
        book = load_workbook(io.BytesIO(formdefs.workbook_bytes(definition)))
        self.assertEqual(book.sheetnames, ["survey", "choices", "settings"])
        self.assertEqual([c.value for c in book["survey"][2]][:4], ["text", "'=HYPERLINK(1)", "'@A1", "x"])


class UploadPageTests(IntakeTestCase):
    url = reverse("intake:form_list")

    def upload(self, user, content: bytes, purpose: str = "household_registration", **extra):
        return self.client_for(user).post(
            self.url,
            {"xlsform": SimpleUploadedFile("form.xlsx", content), "purpose": purpose, **extra},
        )

    def test_roles_without_intake_forms_are_refused(self) -> None:
        for role in (Role.CASEWORKER, Role.ANALYST, Role.DONOR_VIEWER):
            with self.subTest(role=role):
                self.assertEqual(self.upload(self.a[role], workbook("2")).status_code, 403)
        self.assertEqual(XForm.objects.count(), 1)

    def test_another_organisations_form_is_not_found(self) -> None:
        client = self.client_for(self.b[Role.SUPERVISOR])
        self.assertEqual(client.get(reverse("intake:form_detail", args=[self.form.uuid])).status_code, 404)
        self.assertEqual(client.post(reverse("intake:form_toggle", args=[self.form.uuid])).status_code, 404)
        self.assertNotContains(client.get(self.url), FORM_ID)

    def test_a_new_version_is_stored_with_its_xform_and_replaces_the_served_one(self) -> None:
        response = self.upload(self.admin, workbook("2026120302"))
        new = XForm.objects.get(version="2026120302")
        self.assertRedirects(response, reverse("intake:form_detail", args=[new.uuid]))
        self.assertEqual(new.md5, md5_hex(bytes(new.xml)))
        self.assertEqual((new.xlsform_name, bytes(new.xlsform)[:4]), ("form.xlsx", b"PK\x03\x04"))
        self.assertIn(b'version="2026120302"', bytes(new.xml))
        self.assertEqual(
            (new.organisation, new.form_id, new.title), (self.org_a, FORM_ID, "Household registration")
        )
        self.form.refresh_from_db()
        self.assertEqual((new.active, self.form.active), (True, False))
        self.assertTrue(AuditEntry.objects.filter(object_uuid=new.uuid, action="create").exists())

    def test_the_same_version_again_is_refused_saying_so(self) -> None:
        response = self.upload(self.a[Role.SUPERVISOR], SHIPPED)
        self.assertContains(response, "is already uploaded: raise the version")
        self.assertEqual(XForm.objects.count(), 1)

    def test_a_form_lacking_the_fields_its_purpose_stores_is_refused(self) -> None:
        definition = {
            **formdefs.HOUSEHOLD_REGISTRATION,
            "survey": [row for row in formdefs.HOUSEHOLD_REGISTRATION["survey"] if row[1] != "site_code"],
            "settings": {**formdefs.HOUSEHOLD_REGISTRATION["settings"], "version": "3"},
        }
        response = self.upload(self.a[Role.SUPERVISOR], formdefs.workbook_bytes(definition))
        self.assertContains(
            response, "lacks fields that Household registration with members stores: site_code"
        )
        response = self.upload(self.a[Role.SUPERVISOR], formdefs.workbook_bytes(definition), purpose="keep")
        self.assertEqual(response.status_code, 302)

    def test_a_file_that_is_not_an_xlsform_is_refused(self) -> None:
        self.assertContains(
            self.upload(self.a[Role.SUPERVISOR], b"name,age\n"), "This is not an XLSX workbook."
        )
        broken = formdefs.workbook_bytes(
            {
                "survey": [["nonsense_type", "x", "X", "X"] + [""] * 6],
                "choices": [],
                "settings": {"form_id": "x"},
            }
        )
        self.assertContains(
            self.upload(self.a[Role.SUPERVISOR], broken, purpose="keep"), "cannot be converted"
        )

    def test_media_files_are_kept_with_the_form(self) -> None:
        self.upload(
            self.a[Role.SUPERVISOR],
            workbook("4"),
            media=[SimpleUploadedFile("a.csv", b"x"), SimpleUploadedFile("b.png", b"y")],
        )
        self.assertEqual(
            sorted(XForm.objects.get(version="4").media.values_list("name", flat=True)), ["a.csv", "b.png"]
        )

    def test_switching_a_form_off_and_on(self) -> None:
        client = self.client_for(self.a[Role.SUPERVISOR])
        client.post(reverse("intake:form_toggle", args=[self.form.uuid]))
        self.form.refresh_from_db()
        self.assertFalse(self.form.active)
        client.post(reverse("intake:form_toggle", args=[self.form.uuid]))
        self.form.refresh_from_db()
        self.assertTrue(self.form.active)

    def test_the_list_shows_the_organisations_forms(self) -> None:
        response = self.client_for(self.admin).get(self.url)
        self.assertContains(response, reverse("intake:form_detail", args=[self.form.uuid]))
