"""This part's Urdu catalogue (``hifazat/referrals/locale``) is used: its strings read in Urdu. That it is
compiled and complete is checked with every other catalogue in ``core/tests/test_translations.py``."""

from __future__ import annotations

from django.utils import translation


def test_referral_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Send the referral") == "ریفرل بھیجیں"
        assert translation.gettext("Services directory") == "خدمات کی ڈائریکٹری"
        assert translation.pgettext("where a place is", "Address") == "پتہ"
