"""This part's Urdu catalogue (``hifazat/cases/locale``) is used: its strings read in Urdu. That it is
compiled and complete is checked with every other catalogue in ``core/tests/test_translations.py``."""

from __future__ import annotations

from django.utils import translation

from hifazat.cases.htcds import MethodOfControl
from hifazat.cases.models import CaseStatus, ClosureOutcome


def test_case_strings_and_htcds_labels_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Awaiting my approval") == "میری منظوری کے منتظر"
        assert str(CaseStatus.CLOSED_REFERRED.label) == "بند، منتقل شدہ"
        assert str(MethodOfControl.DEBT_BONDAGE.label) == "قرض کی غلامی"
        assert str(ClosureOutcome.REUNIFIED.label) == "خاندان سے دوبارہ مل گئے"
    assert (
        CaseStatus.CLOSED_REFERRED.value == "ClosedReferred"
    )  # the value name does not change with language
