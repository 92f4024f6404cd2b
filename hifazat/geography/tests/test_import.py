"""CSV import of areas and sites: a dry run first, errors per row, and all or nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from hifazat.core.models import AuditEntry, Job
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography import services
from hifazat.geography.models import AdminArea, Site

SITES = """code,name,name_ur,site_type,area_pcode,latitude,longitude,managing_organisation,capacity,population,households,population_date
ISB-H11,H-11 Relief Camp,ایچ الیون ریلیف کیمپ,relief_camp,PK701,33.6560,72.9870,Organisation A,6000,5200,870,2006-01-15
MZD-UNI,University Ground Camp,,Relief camp,PK501,34.37,73.47,,7000,,,
"""

SITES_ONE_BAD_ROW = SITES + "BAG-CTY,Bagh City Camp,,tent city,PK502,33.98,73.78,,4500,,,\n"

SITES_HXL = """Site code,Site name,Type,District,Lat,Lon
#loc+code,#loc+name,#loc+type,#adm2+code,#geo+lat,#geo+lon
ISB-H11,H-11 Relief Camp,relief_camp,PK701,33.6560,72.9870
"""


class ImportTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actor = cls.actor(cls, cls.admin)
        country = services.area_create(actor=actor, pcode="PK", name="Pakistan", level=0, parent=None)
        for province, district, name in (
            ("PK7", "PK701", "Islamabad"),
            ("PK5", "PK501", "Muzaffarabad"),
            ("PK5", "PK502", "Bagh"),
        ):
            parent = AdminArea.objects.filter(pcode=province).first() or services.area_create(
                actor=actor, pcode=province, name=province, level=1, parent=country
            )
            services.area_create(actor=actor, pcode=district, name=name, level=2, parent=parent)

    def upload(self, text: str, kind: str = "geography.sites", user=None):
        client = self.client_for(user or self.admin)
        upload = SimpleUploadedFile("sites.csv", text.encode("utf-8"), content_type="text/csv")
        # The dry run is queued for once the upload is committed: run it then, as a worker would.
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post("/geography/import/", {"kind": kind, "file": upload})
        job = Job.objects.latest("created_at")
        return client, response, job

    def commit(self, client, job):
        with self.captureOnCommitCallbacks(execute=True):
            return client.post(f"/geography/import/{job.uuid}/commit/")

    def test_only_administrators_import(self) -> None:
        for role in (Role.SUPERVISOR, Role.CASEWORKER, Role.ANALYST, Role.DONOR_VIEWER):
            client = self.client_for(self.a[role])
            upload = SimpleUploadedFile("s.csv", SITES.encode(), content_type="text/csv")
            self.assertEqual(
                client.post("/geography/import/", {"kind": "geography.sites", "file": upload}).status_code,
                403,
            )
        self.assertFalse(Job.objects.exists())

    def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row_and_the_problem(self) -> None:
        client, response, job = self.upload(SITES_ONE_BAD_ROW)
        self.assertRedirects(response, f"/geography/import/{job.uuid}/")
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.FAILED)
        self.assertEqual(
            job.errors,
            [
                {
                    "row": 4,
                    "column": "site_type",
                    "message": "'tent city' is not a site type: use one of relief_camp, "
                    "spontaneous_settlement, collective_centre, host_community.",
                }
            ],
        )
        page = client.get(f"/geography/import/{job.uuid}/")
        self.assertContains(page, "Nothing was written")
        self.assertContains(page, "tent city")
        self.assertFalse(Site.objects.exists())
        # A failed check cannot be committed.
        self.commit(client, job)
        self.assertFalse(Site.objects.exists())

    def test_a_good_file_is_checked_then_committed_whole(self) -> None:
        client, _, job = self.upload(SITES)
        job.refresh_from_db()
        self.assertEqual((job.status, job.result), (Job.Status.READY, {"rows": 2, "create": 2, "update": 0}))
        self.assertFalse(Site.objects.exists())  # the dry run wrote nothing
        self.commit(client, job)
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.DONE)
        h11 = Site.objects.get(code="ISB-H11")
        self.assertEqual(
            (h11.name_ur, h11.managing_organisation, h11.capacity), ("ایچ الیون ریلیف کیمپ", self.org_a, 6000)
        )
        self.assertEqual(h11.populations.get().individuals, 5200)
        self.assertEqual(Site.objects.get(code="MZD-UNI").site_type, "relief_camp")  # the label was accepted
        self.assertTrue(AuditEntry.objects.filter(action="import", object_uuid=job.uuid).exists())
        self.assertEqual(AuditEntry.objects.filter(action="create", object_type="geography.site").count(), 2)

    def test_a_second_import_updates_by_code(self) -> None:
        client, _, job = self.upload(SITES)
        self.commit(client, job)
        client, _, again = self.upload(SITES.replace("6000", "6500"))
        again.refresh_from_db()
        self.assertEqual(again.result, {"rows": 2, "create": 0, "update": 2})
        self.commit(client, again)
        self.assertEqual(Site.objects.get(code="ISB-H11").capacity, 6500)

    def test_codes_and_names_are_stored_without_hidden_characters(self) -> None:
        hostile = SITES.replace(
            "ISB-H11,H-11 Relief Camp", "ISB-\u202eH11\u200f,H-11\u2066 Relief\u0007 Camp"
        )
        client, _, job = self.upload(hostile)
        job.refresh_from_db()
        self.assertEqual(job.result, {"rows": 2, "create": 2, "update": 0})
        self.commit(client, job)
        h11 = Site.objects.get(code="ISB-H11")
        self.assertEqual((h11.name, h11.name_ur), ("H-11 Relief Camp", "ایچ الیون ریلیف کیمپ"))
        # The same code with a hidden character is the same site: an update, not a second site.
        client, _, again = self.upload(
            hostile.replace("6000", "6500").replace("ISB-\u202eH11", "ISB-H11\u2067")
        )
        again.refresh_from_db()
        self.assertEqual(again.result, {"rows": 2, "create": 0, "update": 2})
        self.commit(client, again)
        self.assertEqual(Site.objects.get(code="ISB-H11").capacity, 6500)

    def test_hxl_hashtag_rows_are_understood(self) -> None:
        client, _, job = self.upload(SITES_HXL)
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.READY, job.errors)
        self.commit(client, job)
        self.assertEqual(Site.objects.get(code="ISB-H11").area.pcode, "PK701")

    def test_errors_name_unknown_codes_bad_numbers_and_duplicate_rows(self) -> None:
        text = (
            SITES.splitlines()[0]
            + "\n"
            + "\n".join(
                [
                    "A1,Camp A,,relief_camp,PK999,33.6,72.9,,,,,",
                    "A2,Camp B,,relief_camp,PK701,north,72.9,,,,,",
                    "A3,Camp C,,relief_camp,PK701,33.6,,,,,,",
                    "A2,Camp D,,relief_camp,PK701,,,,-5,,,",
                    "A5,Camp E,,relief_camp,PK701,,,Nobody Org,,,,",
                ]
            )
            + "\n"
        )
        _, _, job = self.upload(text)
        job.refresh_from_db()
        found = {(e["row"], e["column"]) for e in job.errors}
        self.assertEqual(
            found,
            {
                (2, "area_pcode"),
                (3, "latitude"),
                (4, ""),
                (5, "code"),
                (5, "capacity"),
                (6, "managing_organisation"),
            },
        )

    def test_a_file_that_is_not_utf8_is_refused_at_upload(self) -> None:
        client = self.client_for(self.admin)
        upload = SimpleUploadedFile(
            "s.csv", "code,name\nX,Muzaffarābād\n".encode("utf-16"), content_type="text/csv"
        )
        response = client.post("/geography/import/", {"kind": "geography.sites", "file": upload})
        self.assertContains(response, "not UTF-8")
        self.assertFalse(Job.objects.exists())

    def test_a_file_without_the_needed_columns_says_which(self) -> None:
        _, _, job = self.upload("name,lat\nX,1\n")
        job.refresh_from_db()
        self.assertIn("no column for: code, site_type, area_pcode", job.errors[0]["message"])

    def test_areas_import_writes_parents_before_children(self) -> None:
        text = "pcode,name,level,parent_pcode\nPK20101,Balakot,3,PK201\nPK201,Mansehra,2,PK2\nPK2,NWFP,1,PK\n"
        client, _, job = self.upload(text, kind="geography.areas")
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.READY, job.errors)
        self.commit(client, job)
        self.assertEqual(AdminArea.objects.get(pcode="PK20101").parent.parent.pcode, "PK2")

    def test_areas_import_refuses_a_parent_at_the_wrong_level(self) -> None:
        _, _, job = self.upload(
            "pcode,name,level,parent_pcode\nPK70101,Sector H,3,PK7\n", kind="geography.areas"
        )
        job.refresh_from_db()
        self.assertEqual(job.errors[0]["column"], "parent_pcode")
        self.assertIn("the parent must be at level 2", job.errors[0]["message"])
