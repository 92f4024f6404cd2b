from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hifazat.geography.models import AdminArea, AdminLevel, SiteType

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class SiteFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    area = forms.ModelChoiceField(
        label=_("Area"),
        required=False,
        queryset=AdminArea.objects.filter(level__in=[1, 2]).order_by("level", "name"),
        to_field_name="uuid",
    )
    site_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *SiteType.choices]
    )


class AreaFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or P-code"), required=False, max_length=100)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All levels")), *AdminLevel.choices],
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("geography.sites", _("Sites")), ("geography.areas", _("Administrative areas"))],
    )
    file = forms.FileField(label=_("CSV file (UTF-8)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it into several imports."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.")
            ) from None
        if "\x00" in text:
            raise forms.ValidationError(_("This is not a CSV file."))
        return upload.name, text
