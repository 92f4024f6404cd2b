"""This part's Urdu catalogue (``hifazat/campaigns/locale``) is used: its strings read in Urdu. That it is
compiled and complete is checked with every other catalogue in ``core/tests/test_translations.py``."""

from __future__ import annotations

from django.test import Client
from django.utils import translation


def test_campaign_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Campaigns") == "آگاہی مہمات"
        assert translation.gettext("Stay safe from traffickers") == "انسانی اسمگلروں سے محفوظ رہیں"


def test_the_public_page_reads_in_urdu(db) -> None:
    page = Client().get("/awareness/?lang=ur").content.decode()
    assert "انسانی اسمگلروں سے محفوظ رہیں" in page
    assert "Stay safe from traffickers" not in page
