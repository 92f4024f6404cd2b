"""This part's Urdu catalogue (``hifazat/livelihoods/locale``) is used: its strings read in Urdu. That it is
compiled and complete is checked with every other catalogue in ``core/tests/test_translations.py``."""

from __future__ import annotations

from django.utils import translation


def test_livelihood_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Ranked list") == "درجہ وار فہرست"
        assert translation.gettext("Livelihoods") == "روزگار"
