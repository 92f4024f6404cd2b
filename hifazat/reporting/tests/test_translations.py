"""This part's Urdu catalogue (``hifazat/reporting/locale``): compiled from its .po, complete, and used."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from hifazat.core.disclosure import Policy

PO = Path(__file__).resolve().parents[1] / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def test_the_committed_mo_matches_its_po() -> None:
    from hifazat.core.translations import compile_catalogue

    assert PO.with_suffix(".mo").read_bytes() == compile_catalogue(PO), f"recompile {PO.with_suffix('.mo')}"


def test_every_urdu_entry_is_translated() -> None:
    body = PO.read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert 'msgstr ""\n\n' not in body and not body.rstrip().endswith('msgstr ""')


def test_the_disclosure_note_reads_in_urdu() -> None:
    with translation.override("ur"):
        note = Policy(controlled=True, threshold=10).note
        assert "گول" in note and "10" in note and "9" in note
        assert translation.gettext("Response dashboard") == "ردِعمل کا ڈیش بورڈ"
