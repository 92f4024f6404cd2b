"""This part's Urdu catalogue (``hifazat/campaigns/locale``): compiled from its .po, complete, and used."""

from __future__ import annotations

from pathlib import Path

from django.test import Client
from django.utils import translation

from hifazat.core.translations import compile_catalogue

PO = Path(__file__).resolve().parents[1] / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def test_the_committed_mo_matches_its_po() -> None:
    assert PO.with_suffix(".mo").read_bytes() == compile_catalogue(PO), f"recompile {PO.with_suffix('.mo')}"


def test_every_urdu_entry_is_translated() -> None:
    text = PO.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    assert 'msgstr ""\n\n' not in body and not body.rstrip().endswith('msgstr ""'), (
        "an Urdu entry has no translation"
    )
    assert 'msgstr[0] ""' not in body and 'msgstr[1] ""' not in body
    assert "#, fuzzy" not in text


def test_campaign_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Campaigns") == "آگاہی مہمات"
        assert translation.gettext("Stay safe from traffickers") == "انسانی اسمگلروں سے محفوظ رہیں"


def test_the_public_page_reads_in_urdu(db) -> None:
    page = Client().get("/awareness/?lang=ur").content.decode()
    assert "انسانی اسمگلروں سے محفوظ رہیں" in page
    assert "Stay safe from traffickers" not in page
