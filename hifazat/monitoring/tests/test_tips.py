"""Anonymous tips: anyone may send one, in English or Urdu; it reaches triage marked anonymous; nothing about
the sender is kept in any table, log or cache; floods and robots are turned away without knowing who sends."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.monitoring import tips
from hifazat.monitoring.models import Report
from hifazat.people.testing import make_site

ADDRESS = "198.51.100.73"
FORWARDED = "203.0.113.219"
AGENT = "Tipster-Phone/7.7 (unique-agent-string)"
SENDER = {"REMOTE_ADDR": ADDRESS, "HTTP_X_FORWARDED_FOR": FORWARDED, "HTTP_USER_AGENT": AGENT}


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The message and everything attached to the record (a request object, extra fields).
        self.lines.append(f"{record.getMessage()} {record.__dict__!r} {record.exc_text or ''}")


def old_token(seconds: int = 60) -> str:
    return tips.issue_token(now=time.time() - seconds)


class TipTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.site = make_site()

    def setUp(self) -> None:
        cache.clear()
        self.client = Client(**SENDER)

    def tip(self, token: str | None = None, **data):
        fields = {
            "kind": "offer_work",
            "description": "A man at the gate offers girls work in a Lahore factory; his number is 0300-1234567.",
            "site": str(self.site.uuid),
            "phones": "0300-1234567",
            "token": token or old_token(),
            "website": "",
            **data,
        }
        return self.client.post(reverse("monitoring:tip"), fields)


class TipTests(TipTestCase):
    def test_anyone_may_open_the_form_in_english_and_urdu(self) -> None:
        response = Client().get(reverse("monitoring:tip"))
        self.assertContains(response, "Tell us, safely")
        self.assertContains(response, 'name="token"')
        urdu = Client(HTTP_ACCEPT_LANGUAGE="ur").get(reverse("monitoring:tip"))
        self.assertContains(urdu, 'lang="ur"')
        self.assertContains(urdu, 'dir="rtl"')
        self.assertNotContains(urdu, "Tell us, safely")

    def test_a_tip_reaches_the_host_organisations_triage_marked_anonymous(self) -> None:
        response = self.tip()
        self.assertRedirects(response, reverse("monitoring:tip_thanks"))
        report = Report.objects.get()
        self.assertEqual((report.network, report.source, report.reporter), (self.org_a, "tip", None))
        self.assertTrue(report.is_anonymous)
        self.assertEqual(report.traces, {"phone": ["0300-1234567"]})
        queue = self.client_for(self.a[Role.MONITORING_FOCAL_POINT]).get(reverse("monitoring:report_list"))
        self.assertContains(queue, report.number)
        self.assertContains(queue, "Anonymous")
        self.assertFalse(
            self.client_for(self.b[Role.MONITORING_FOCAL_POINT])
            .get(reverse("monitoring:report_list"))
            .context["page"]
            .object_list
        )

    def test_no_table_no_log_and_no_cache_holds_anything_about_the_sender(self) -> None:
        capture = Capture()
        root = logging.getLogger()
        root.addHandler(capture)
        try:
            self.client.get(reverse("monitoring:tip"))
            self.assertEqual(self.tip().status_code, 302)
            self.tip(description="")  # an invalid one too
            self.tip(token="forged")
        finally:
            root.removeHandler(capture)
        self.assertEqual(Report.objects.count(), 1)
        entry = AuditEntry.objects.get(object_type="monitoring.report")
        self.assertEqual((entry.user, entry.ip), (None, None))
        # Every table in the database, read directly: models, many-to-many tables, sessions, django-axes.
        seen_tip = False
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                text = repr(cursor.fetchall())
                seen_tip = seen_tip or "Lahore factory" in text
                for secret in (ADDRESS, FORWARDED, AGENT):
                    self.assertNotIn(secret, text, f"table {table} stores the sender's {secret}")
        self.assertTrue(seen_tip, "the scan read the tables")
        for line in capture.lines:
            for secret in (ADDRESS, FORWARDED, AGENT):
                self.assertNotIn(secret, line)
        stored = repr(dict(cache._cache)) + repr(list(cache._cache))
        for secret in (ADDRESS, FORWARDED, AGENT):
            self.assertNotIn(secret, stored)


class TipProtectionTests(TipTestCase):
    @override_settings(HIFAZAT_TIP_BUDGET=2)
    def test_the_global_budget_turns_a_flood_away(self) -> None:
        self.assertEqual(self.tip().status_code, 302)
        self.assertEqual(
            Client(REMOTE_ADDR="192.0.2.1")
            .post(reverse("monitoring:tip"), {"kind": "other", "description": "x", "token": old_token()})
            .status_code,
            302,
        )
        flood = self.tip()
        self.assertEqual(flood.status_code, 429)
        self.assertContains(flood, "try again later", status_code=429)
        self.assertEqual(Report.objects.count(), 2)

    def test_a_form_is_taken_once(self) -> None:
        token = old_token()
        self.assertEqual(self.tip(token).status_code, 302)
        self.assertEqual(self.tip(token).status_code, 429)
        self.assertEqual(Report.objects.count(), 1)

    def test_a_form_sent_at_once_or_with_a_forged_token_is_not_taken(self) -> None:
        self.assertEqual(self.tip(tips.issue_token()).status_code, 400)
        self.assertEqual(self.tip("not-a-token").status_code, 400)
        self.assertEqual(self.tip(tips.issue_token(now=time.time() - 4 * 3600)).status_code, 400)
        self.assertFalse(Report.objects.exists())

    def test_a_robot_that_fills_the_hidden_field_is_thanked_and_ignored(self) -> None:
        response = self.tip(website="http://spam.example")
        self.assertRedirects(response, reverse("monitoring:tip_thanks"))
        self.assertFalse(Report.objects.exists())

    def test_too_many_attempts_with_one_form_are_refused(self) -> None:
        token = old_token()
        for _ in range(tips.ATTEMPTS_PER_TOKEN):
            self.assertEqual(self.tip(token, description="").status_code, 400)
        self.assertEqual(self.tip(token).status_code, 429)
