"""This part's Urdu catalogue (``hifazat/cases/locale``): compiled from its .po, complete, and used."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from hifazat.cases.htcds import MethodOfControl
from hifazat.cases.models import CaseStatus, ClosureOutcome
from hifazat.core.translations import compile_catalogue

PO = Path(__file__).resolve().parents[1] / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def test_the_committed_mo_matches_its_po() -> None:
    assert PO.with_suffix(".mo").read_bytes() == compile_catalogue(PO), f"recompile {PO.with_suffix('.mo')}"


def test_every_urdu_entry_is_translated() -> None:
    text = PO.read_text(encoding="utf-8")
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1], "an Urdu entry has no translation"
    assert "#, fuzzy" not in text


def test_case_strings_and_htcds_labels_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Awaiting my approval") == "میری منظوری کے منتظر"
        assert str(CaseStatus.CLOSED_REFERRED.label) == "بند، منتقل شدہ"
        assert str(MethodOfControl.DEBT_BONDAGE.label) == "قرض کی غلامی"
        assert str(ClosureOutcome.REUNIFIED.label) == "خاندان سے دوبارہ مل گئے"
    assert (
        CaseStatus.CLOSED_REFERRED.value == "ClosedReferred"
    )  # the value name does not change with language
