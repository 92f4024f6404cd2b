"""The public awareness page: no sign-in, English and Urdu, only approved public-page versions, light."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from django.urls import reverse

from hifazat.campaigns import services
from hifazat.campaigns.models import CampaignStatus
from hifazat.core.roles import Role

from .base import CampaignTestCase

STATIC = Path(__file__).resolve().parents[1] / "static" / "campaigns"


class PublicPageTests(CampaignTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.campaign_ = self.campaign()
        work = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Work", topic="work_offers"
        )
        hotline = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Hotline", topic="hotline"
        )
        self.approved(work, "eng", "public", "A job far away with pay in advance is a warning sign.")
        self.approved(work, "urd", "public", "دور دراز نوکری اور پیشگی رقم خطرے کی علامت ہے۔")
        self.approved(hotline, "eng", "public", "Helpline 0800-44333")
        self.approved(work, "eng", "sms", "SMS text only for phones.")
        # Not approved: never shown.
        services.version_write(
            actor=self.coordinator,
            message=work,
            language="eng",
            channel="public",
            text="DRAFT-IN-REVIEW",
            submit=True,
        )
        returned = services.version_write(
            actor=self.coordinator,
            message=hotline,
            language="urd",
            channel="public",
            text="RETURNED-TEXT",
            submit=True,
        )
        services.version_review(actor=self.supervisor, version=returned, approve=False, note="Wrong number.")
        marriage = services.key_message_create(
            actor=self.coordinator, campaign=self.campaign_, title="Marriage", topic="marriage_offers"
        )
        services.version_write(
            actor=self.coordinator, message=marriage, language="eng", channel="public", text="DRAFT-ONLY"
        )

    def test_anonymous_visitors_get_the_page_without_a_redirect_to_sign_in(self) -> None:
        response = Client().get("/awareness/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(reverse("campaigns:public"), "/awareness/")
        self.assertIn("public", response["Cache-Control"])
        self.assertContains(response, "A job far away with pay in advance is a warning sign.")
        self.assertContains(response, 'Helpline <a href="tel:080044333" dir="ltr">0800-44333</a>')

    def test_only_approved_public_versions_appear(self) -> None:
        content = Client().get("/awareness/").content.decode()
        for text in ("DRAFT-IN-REVIEW", "DRAFT-ONLY", "RETURNED-TEXT", "SMS text only for phones."):
            self.assertNotIn(text, content)
        self.assertNotIn("Offers of marriage", content)  # a topic with no approved text has no heading

    def test_the_page_in_urdu_shows_the_urdu_versions_right_to_left(self) -> None:
        response = Client().get("/awareness/?lang=ur")
        self.assertContains(response, '<html lang="ur" dir="rtl">')
        self.assertContains(response, "دور دراز نوکری اور پیشگی رقم خطرے کی علامت ہے۔")
        self.assertNotContains(response, "A job far away")
        self.assertEqual(response["Content-Language"], "ur")
        self.assertContains(response, 'href="?lang=en"')
        # The browser's language is followed when none is asked for.
        self.assertContains(Client(HTTP_ACCEPT_LANGUAGE="ur").get("/awareness/"), 'lang="ur"')

    def test_a_hotline_number_in_urdu_text_is_a_call_link_read_left_to_right(self) -> None:
        hotline = self.campaign_.messages.get(topic="hotline")
        self.approved(hotline, "urd", "public", "تحفظ ہیلپ لائن: 0800-44333۔ پولیس: 15۔")
        response = Client().get("/awareness/?lang=ur")
        # Without the isolation, the Urdu before it turns the number round: 44333-0800.
        self.assertContains(
            response, 'تحفظ ہیلپ لائن: <a href="tel:080044333" dir="ltr">0800-44333</a>۔ پولیس: 15۔'
        )

    def test_a_cancelled_campaigns_messages_leave_the_page(self) -> None:
        services.campaign_update(
            actor=self.coordinator, campaign=self.campaign_, status=CampaignStatus.CANCELLED
        )
        self.assertNotContains(Client().get("/awareness/"), "A job far away")

    def test_it_links_the_anonymous_tip_form(self) -> None:
        tip = reverse("monitoring:tip")
        response = Client().get("/awareness/")
        urdu = Client().get("/awareness/?lang=ur")
        self.assertContains(response, f'href="{tip}?lang=en"')
        # The tip form opens in the language the reader chose here.
        self.assertContains(urdu, f'href="{tip}?lang=ur"')

    def test_the_page_is_light_for_a_slow_phone_connection(self) -> None:
        response = Client().get("/awareness/?lang=ur")
        self.assertLess(len(response.content), 8 * 1024)
        css = (STATIC / "public.css").read_text()
        self.assertLess(len(css.encode()), 2 * 1024)
        # The one font is the phone's own when it has one, and only Arabic-script text can make it load.
        self.assertIn('src: local("Noto Nastaliq Urdu"), local("Noto Naskh Arabic"), url(', css)
        self.assertIn("unicode-range: U+0600-06FF", css)
        for heavy in (b"chart", b"bootstrap", b"htmx", b"<script", b"woff2", b"style="):
            self.assertNotIn(heavy, response.content.lower())

    def test_signed_in_users_see_the_same_page_but_it_is_not_cached(self) -> None:
        response = self.client_for(self.a[Role.CASEWORKER]).get("/awareness/")
        self.assertContains(response, "A job far away")
        self.assertIn("no-store", response["Cache-Control"])

    def test_with_no_approved_message_the_page_still_says_where_to_go(self) -> None:
        services.campaign_update(
            actor=self.coordinator, campaign=self.campaign_, status=CampaignStatus.CANCELLED
        )
        response = Client().get("/awareness/")
        self.assertContains(response, "camp management office")
