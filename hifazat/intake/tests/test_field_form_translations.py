"""The intake part's Urdu catalogue (``hifazat/intake/locale``): compiled from its .po, complete, and used."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from hifazat.core.translations import compile_catalogue

PO = Path(__file__).resolve().parents[1] / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def test_the_committed_mo_matches_its_po() -> None:
    assert PO.with_suffix(".mo").read_bytes() == compile_catalogue(PO), f"recompile {PO.with_suffix('.mo')}"


def test_every_urdu_entry_is_translated() -> None:
    text = PO.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1], "an Urdu entry has no translation"
    assert "#, fuzzy" not in text


def test_field_form_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Field forms") == "فیلڈ فارم"
        assert translation.gettext("ODK Collect settings") == "او ڈی کے کلیکٹ کی ترتیبات"
