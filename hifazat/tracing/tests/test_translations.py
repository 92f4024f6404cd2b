"""This part's Urdu catalogue (``hifazat/tracing/locale``) is used: its strings read in Urdu. That it is
compiled and complete is checked with every other catalogue in ``core/tests/test_translations.py``."""

from __future__ import annotations

from django.utils import translation

from hifazat.tracing.models import ChecklistItem


def test_tracing_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Reunification checklist") == "ملاپ کی چیک لسٹ"
        assert str(ChecklistItem.BEST_INTERESTS.label) == "نگران نے بہترین مفاد کا فیصلہ درج کیا"
        assert translation.ngettext("%(n)s candidate to review", "%(n)s candidates to review", 3) % {
            "n": 3
        } == ("جائزے کے لیے 3 ممکنہ بچے")
