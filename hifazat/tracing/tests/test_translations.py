"""This part's Urdu catalogue (``hifazat/tracing/locale``): compiled from its .po, complete, and used."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from hifazat.core.translations import compile_catalogue
from hifazat.tracing.models import ChecklistItem

PO = Path(__file__).resolve().parents[1] / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def test_the_committed_mo_matches_its_po() -> None:
    assert PO.with_suffix(".mo").read_bytes() == compile_catalogue(PO), f"recompile {PO.with_suffix('.mo')}"


def test_every_urdu_entry_is_translated() -> None:
    text = PO.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1], "an Urdu entry has no translation"
    assert "#, fuzzy" not in text


def test_tracing_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Reunification checklist") == "ملاپ کی چیک لسٹ"
        assert str(ChecklistItem.BEST_INTERESTS.label) == "نگران نے بہترین مفاد کا فیصلہ درج کیا"
        assert translation.ngettext("%(n)s candidate to review", "%(n)s candidates to review", 3) % {
            "n": 3
        } == ("جائزے کے لیے 3 ممکنہ بچے")
