"""The reporting part's Urdu in use (its catalogue is compiled and complete: ``core/tests/test_translations.py``
checks every part's)."""

from __future__ import annotations

from django.utils import translation

from hifazat.core.disclosure import Policy


def test_the_disclosure_note_reads_in_urdu() -> None:
    with translation.override("ur"):
        note = Policy(controlled=True, threshold=10).note
        assert "گول" in note and "10" in note and "9" in note
        assert translation.gettext("Response dashboard") == "ردِعمل کا ڈیش بورڈ"
