"""Photographs: only images are taken, location and every other metadata is removed by re-encoding, and they are
served only to those who may see the report."""

from __future__ import annotations

import datetime
import io
import shutil
import tempfile

from django.core.exceptions import ValidationError
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.monitoring import images, services
from hifazat.monitoring.testing import jpeg_bytes
from hifazat.people.testing import make_site

MEDIA = tempfile.mkdtemp(prefix="hifazat-media-")


def tearDownModule() -> None:
    shutil.rmtree(MEDIA, ignore_errors=True)


class CleanImageTests(HifazatTestCase):
    def test_location_camera_time_and_comments_are_removed(self) -> None:
        original = jpeg_bytes(gps=True)
        with Image.open(io.BytesIO(original)) as before:
            self.assertIn(0x8825, before.getexif())  # the GPS block is there to begin with
            self.assertIn(b"camp gate", original)
        cleaned, width, height = images.clean_image(original)
        with Image.open(io.BytesIO(cleaned)) as after:
            self.assertEqual(dict(after.getexif()), {})
            self.assertNotIn("exif", after.info)
            self.assertNotIn("comment", after.info)
            self.assertEqual((after.format, after.size), ("JPEG", (width, height)))
        for trace in (b"PhoneMaker", b"Gul Khan", b"camp gate", b"2006:01:10"):
            self.assertNotIn(trace, cleaned)

    def test_a_png_with_text_chunks_comes_out_as_a_bare_jpeg(self) -> None:
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text("Location", "34.37N 73.47E")
        out = io.BytesIO()
        Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=info)
        cleaned, _w, _h = images.clean_image(out.getvalue())
        self.assertNotIn(b"34.37N", cleaned)
        self.assertTrue(cleaned.startswith(b"\xff\xd8"))

    def test_what_is_not_an_image_is_refused(self) -> None:
        for data in (b"%PDF-1.4 not a photo", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b""):
            with self.assertRaises(ValidationError):
                images.clean_image(data)


@override_settings(MEDIA_ROOT=MEDIA)
class AttachmentServingTests(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.site = make_site()

    def setUp(self) -> None:
        reporter = self.actor(self.a[Role.CASEWORKER])  # staff who report: a profile in A's network
        self.report = services.report_submit(
            actor=reporter,
            kind="recruiter_seen",
            occurred_on=datetime.date(2006, 1, 10),
            description="The van at the gate.",
            site=self.site,
            photos=[jpeg_bytes(gps=True)],
        )
        self.photo = self.report.attachments.get()

    def test_the_stored_file_has_no_location_and_a_name_that_says_nothing(self) -> None:
        with self.photo.image.open("rb") as stored:
            data = stored.read()
        self.assertNotIn(b"PhoneMaker", data)
        with Image.open(io.BytesIO(data)) as image:
            self.assertEqual(dict(image.getexif()), {})
        self.assertEqual(self.photo.image.name, f"monitoring/attachments/{self.photo.uuid}.jpg")

    def test_it_is_served_to_the_reporter_and_the_networks_focal_points_only(self) -> None:
        url = reverse("monitoring:attachment", args=[self.photo.uuid])
        for user in (self.a[Role.CASEWORKER], self.a[Role.MONITORING_FOCAL_POINT]):
            response = self.client_for(user).get(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "image/jpeg")
            self.assertIn("no-store", response["Cache-Control"])
            # Closing the response signals the end of the request, which would close the database connection
            # that this test's transaction still uses (PostgreSQL): close it with that receiver off.
            request_finished.disconnect(close_old_connections)
            try:
                response.close()
            finally:
                request_finished.connect(close_old_connections)
        self.assertEqual(self.client_for(self.a[Role.NETWORK_REPORTER]).get(url).status_code, 404)
        self.assertEqual(self.client_for(self.b[Role.MONITORING_FOCAL_POINT]).get(url).status_code, 404)
        self.assertEqual(Client().get(url).status_code, 302)
        self.assertEqual(Client().get(f"/media/{self.photo.image.name}").status_code, 404)

    def test_a_file_that_is_not_an_image_is_refused_on_the_report_page(self) -> None:
        client = self.client_for(self.a[Role.MONITORING_FOCAL_POINT])
        upload = io.BytesIO(b"MZ\x90\x00 an executable")
        upload.name = "photo.jpg"
        client.post(reverse("monitoring:report_photo", args=[self.report.uuid]), {"photo": upload})
        self.assertEqual(self.report.attachments.count(), 1)
