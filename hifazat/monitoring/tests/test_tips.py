"""Anonymous tips: anyone may send one, in English or Urdu, from a browser that sends no referrer and keeps no
cookie; it reaches triage marked anonymous; nothing about the sender is kept in any table, log, cache key or cookie;
floods and robots are turned away without knowing who sends: a single-use signed token with a proof of work, and a
budget per site whose running out the focal points are told about once."""

from __future__ import annotations

import logging
import re
import time
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.monitoring import tips
from hifazat.monitoring.models import Report
from hifazat.notifications.models import Notification
from hifazat.people.testing import make_site

ADDRESS = "198.51.100.73"
FORWARDED = "203.0.113.219"
AGENT = "Tipster-Phone/7.7 (unique-agent-string)"
SENDER = {"REMOTE_ADDR": ADDRESS, "HTTP_X_FORWARDED_FOR": FORWARDED, "HTTP_USER_AGENT": AGENT}
# What a browser sends from a page with <meta name="referrer" content="no-referrer">: no Referer, Origin "null".
BROWSER = {"HTTP_ORIGIN": "null"}
# The only cache keys the tip form may make: hashes of token nonces, internal site ids and time windows.
CACHE_KEY = re.compile(
    r":1:monitoring:tip:(?:(?:attempts|used):[0-9a-f]{32}|(?:count|told):(?:site\d+|none):\d+)"
)


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
        # Django's CSRF check is on, as in production, and the request comes as a browser sends it.
        self.client = Client(enforce_csrf_checks=True, **SENDER, **BROWSER)

    def tip(self, token: str | None = None, work: str | None = None, *, url: str = "", **data):
        token = token or old_token()
        fields = {
            "kind": "offer_work",
            "description": "A man at the gate offers girls work in a Lahore factory; his number is 0300-1234567.",
            "site": str(self.site.uuid),
            "phones": "0300-1234567",
            "token": token,
            "work": tips.solve(token) if work is None else work,
            "website": "",
            **data,
        }
        return self.client.post(url or reverse("monitoring:tip"), fields)


class TipTests(TipTestCase):
    def test_anyone_may_open_the_form_in_english_and_urdu(self) -> None:
        response = Client().get(reverse("monitoring:tip"))
        self.assertContains(response, "Tell us, safely")
        self.assertContains(response, 'name="token"')
        urdu = Client(HTTP_ACCEPT_LANGUAGE="ur").get(reverse("monitoring:tip"))
        self.assertContains(urdu, 'lang="ur"')
        self.assertContains(urdu, 'dir="rtl"')
        self.assertNotContains(urdu, "Tell us, safely")
        self.assertContains(urdu, 'href="/tip/?lang=en"')  # the way back to English

    def test_the_language_link_opens_the_same_page_in_urdu_without_any_cookie(self) -> None:
        page = self.client.get(reverse("monitoring:tip"))
        self.assertContains(page, 'href="/tip/?lang=ur"')
        # Not Django's language view: it needs a CSRF cookie and sets a language cookie.
        self.assertNotContains(page, "setlang")
        urdu = self.client.get(reverse("monitoring:tip") + "?lang=ur")
        self.assertContains(urdu, '<html lang="ur" dir="rtl">')
        self.assertNotContains(urdu, "Tell us, safely")
        self.assertContains(urdu, 'action="/tip/?lang=ur"')  # the tip goes on in Urdu
        self.assertContains(urdu, 'href="/awareness/?lang=ur"')  # and so does the awareness page
        self.assertEqual(urdu["Content-Language"], "ur")
        english = Client(HTTP_ACCEPT_LANGUAGE="ur").get(reverse("monitoring:tip") + "?lang=en")
        self.assertContains(english, '<html lang="en" dir="ltr">')
        self.assertContains(english, "Tell us, safely")
        for response in (page, urdu, english):
            self.assertFalse(response.cookies)
        self.assertFalse(self.client.cookies)

    def test_a_tip_sent_as_a_browser_sends_it_is_taken_and_leaves_no_cookie(self) -> None:
        page = self.client.get(reverse("monitoring:tip"))
        self.assertNotContains(page, "csrfmiddlewaretoken")
        token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
        self.assertContains(page, f'data-work-bits="{tips.work_bits()}"')
        with mock.patch(
            "hifazat.monitoring.tips.time.time", return_value=time.time() + tips.MIN_FILL_SECONDS
        ):
            response = self.tip(token)
        self.assertRedirects(response, reverse("monitoring:tip_thanks") + "?lang=en")
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, "Thank you")
        for answer in (page, response, thanks):
            self.assertFalse(answer.cookies, "the tip form set a cookie")
        self.assertFalse(self.client.cookies)
        self.assertEqual(Report.objects.get().source, "tip")

    def test_a_tip_sent_in_urdu_is_thanked_in_urdu(self) -> None:
        response = self.tip(
            url=reverse("monitoring:tip") + "?lang=ur", description="گیٹ پر ایک آدمی کام کی پیشکش کرتا ہے"
        )
        self.assertRedirects(response, reverse("monitoring:tip_thanks") + "?lang=ur")
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, '<html lang="ur" dir="rtl">')
        self.assertNotContains(thanks, "Thank you")
        self.assertEqual(Report.objects.get().description, "گیٹ پر ایک آدمی کام کی پیشکش کرتا ہے")

    def test_a_tip_reaches_the_host_organisations_triage_marked_anonymous(self) -> None:
        response = self.tip()
        self.assertRedirects(response, reverse("monitoring:tip_thanks") + "?lang=en")
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
            self.tip(token="forged", work="0")
            self.tip(work="1")  # without the proof of work
            with override_settings(HIFAZAT_TIP_BUDGET=1):
                self.tip()  # the site's budget runs out: the focal points are told
        finally:
            root.removeHandler(capture)
        self.assertEqual(Report.objects.count(), 1)
        self.assertTrue(Notification.objects.filter(kind="monitoring.tip_budget").exists())
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
        self.assertTrue(cache._cache)
        for key in cache._cache:
            self.assertRegex(key, CACHE_KEY, "a cache key the tip form should not make")
        self.assertFalse(self.client.cookies, "a cookie was left with the sender")


class TipProtectionTests(TipTestCase):
    def test_a_form_is_taken_once(self) -> None:
        token = old_token()
        self.assertEqual(self.tip(token).status_code, 302)
        replay = self.tip(token)
        self.assertContains(replay, "this form was already sent", status_code=429)
        self.assertEqual(Report.objects.count(), 1)

    def test_a_form_sent_at_once_or_with_a_forged_or_expired_token_is_not_taken(self) -> None:
        self.assertEqual(self.tip(tips.issue_token()).status_code, 400)
        self.assertEqual(self.tip("not-a-token", work="1").status_code, 400)
        self.assertEqual(self.tip(tips.issue_token(now=time.time() - 4 * 3600)).status_code, 400)
        # A token that asks for no work, signed with another key, is not this server's.
        with override_settings(SECRET_KEY="another-key-" + "x" * 40):
            forged = tips.issue_token(now=time.time() - 60, bits=0)
        self.assertEqual(self.tip(forged, work="0").status_code, 400)
        self.assertFalse(Report.objects.exists())

    def test_a_tip_without_its_proof_of_work_is_refused_with_a_clear_message(self) -> None:
        token = old_token()
        bad = next(str(n) for n in range(1000) if not tips.has_work(token, str(n), tips.work_bits()))
        other = old_token()
        for work in ("", bad, "not-a-number", tips.solve(other)):  # the last is work done for another form
            response = self.tip(token, work)
            self.assertContains(response, "could not finish its safety check", status_code=400)
            self.assertContains(response, 'name="token"', status_code=400)
        self.assertFalse(Report.objects.exists())
        self.assertEqual(self.tip(token).status_code, 302)  # with the work, the same form goes through

    def test_the_work_asked_for_is_the_one_signed_in_the_token(self) -> None:
        with override_settings(HIFAZAT_TIP_WORK_BITS=16):
            token = old_token()
        easy = next(
            str(n)
            for n in range(100_000)
            if tips.has_work(token, str(n), 4) and not tips.has_work(token, str(n), 16)
        )
        self.assertEqual(self.tip(token, easy).status_code, 400)  # less work than the token asks for
        self.assertEqual(self.tip(token, tips.solve(token)).status_code, 302)

    def test_a_robot_that_fills_the_hidden_field_is_thanked_and_ignored(self) -> None:
        response = self.tip(website="http://spam.example")
        self.assertRedirects(response, reverse("monitoring:tip_thanks") + "?lang=en")
        self.assertFalse(Report.objects.exists())

    def test_too_many_attempts_with_one_form_are_refused(self) -> None:
        token = old_token()
        for _ in range(tips.ATTEMPTS_PER_TOKEN):
            self.assertEqual(self.tip(token, description="").status_code, 400)
        self.assertEqual(self.tip(token).status_code, 429)

    @override_settings(HIFAZAT_TIP_BUDGET=2)
    def test_a_flood_about_one_site_does_not_silence_the_others(self) -> None:
        other = make_site("MAN-BLK", "Balakot Relief Camp")
        self.assertEqual(self.tip().status_code, 302)
        self.assertEqual(self.tip().status_code, 302)
        flood = self.tip()
        self.assertContains(flood, "try again later", status_code=429)
        self.assertEqual(self.tip(site=str(other.uuid)).status_code, 302)
        self.assertEqual(self.tip(site="", place="Near the bus stand").status_code, 302)
        self.assertEqual(Report.objects.count(), 4)
        self.assertEqual(Report.objects.filter(site=self.site).count(), 2)
        # The next ten minutes, the site takes tips again.
        later = time.time() + tips.WINDOW_SECONDS
        with mock.patch("hifazat.monitoring.tips.time.time", return_value=later):
            self.assertEqual(self.tip(tips.issue_token(now=later - 60)).status_code, 302)

    @override_settings(HIFAZAT_TIP_BUDGET=1)
    def test_focal_points_are_told_once_when_a_sites_budget_runs_out(self) -> None:
        told = Notification.objects.filter(kind="monitoring.tip_budget")
        self.assertEqual(self.tip().status_code, 302)
        self.assertFalse(told.exists())  # the budget is used, not exceeded
        for _ in range(3):
            self.assertEqual(self.tip().status_code, 429)
        focal, supervisor = self.a[Role.MONITORING_FOCAL_POINT], self.a[Role.SUPERVISOR]
        self.assertEqual(told.filter(recipient=focal).count(), 1)
        self.assertEqual(told.filter(recipient=supervisor).count(), 1)
        self.assertFalse(
            told.exclude(recipient__in=[focal, supervisor]).exists()
        )  # nobody in B, no caseworker
        notice = told.get(recipient=focal)
        self.assertIn(self.site.code, notice.title)
        self.assertIn(f"site={self.site.uuid}", notice.url)
        self.assertEqual(notice.organisation, self.org_a)
        # Tips that name no site have a budget of their own, and their running out is told once too.
        self.assertEqual(self.tip(site="").status_code, 302)
        self.assertEqual(self.tip(site="").status_code, 429)
        self.assertEqual(self.tip(site="").status_code, 429)
        self.assertEqual(told.filter(recipient=focal).count(), 2)
        inbox = self.client_for(focal).get(reverse("notifications:notification_list"))
        self.assertContains(inbox, "is used up")
