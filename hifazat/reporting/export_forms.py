"""The forms of the exports page: what to export, in which format, and (for cases) with which k."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from hifazat.core import disclosure

from .exports import MAX_K

XLSX = ("xlsx", _("Excel workbook (XLSX), with a README sheet"))


class CaseExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[XLSX, ("csv", _("CSV, in a ZIP with a README"))], initial="xlsx"
    )
    k = forms.IntegerField(
        label=_(
            "k: every combination of age band, gender, marital status, citizenship, place and year is shared "
            "by at least k people"
        ),
        max_value=MAX_K,
        required=False,
        help_text=_("At least the disclosure threshold; leave it empty to use the threshold."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        least = disclosure.threshold()
        self.fields["k"].min_value = least
        self.fields["k"].validators.append(MinValueValidator(least))
        self.fields["k"].widget.attrs.update({"min": least, "max": MAX_K, "placeholder": least})


class WhoWhatWhereForm(forms.Form):
    file_format = forms.ChoiceField(label=_("Format"), choices=[XLSX, ("csv", "CSV")])
    audience = forms.ChoiceField(
        label=_("For"),
        choices=[
            ("public", _("Publication: no place finer than a district")),
            ("partners", _("Partners in the response: service points and sites by name")),
        ],
        initial="public",
    )
