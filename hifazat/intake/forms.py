"""Input of the field-form pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hifazat.intake.models import Purpose, Submission
from hifazat.intake.services import MAX_XLSFORM_BYTES

XLSX_MAGIC = b"PK\x03\x04"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class FormUploadForm(forms.Form):
    xlsform = forms.FileField(label=_("XLSForm (XLSX)"))
    purpose = forms.ChoiceField(label=_("What its submissions become"), choices=Purpose.choices)
    media = MultipleFileField(label=_("Media files the form uses (optional)"), required=False)

    def clean_xlsform(self):
        upload = self.cleaned_data["xlsform"]
        if upload.size > MAX_XLSFORM_BYTES:
            raise forms.ValidationError(_("The XLSForm is larger than 5 MB."))
        content = upload.read()
        if not content.startswith(XLSX_MAGIC):
            raise forms.ValidationError(_("This is not an XLSX workbook."))
        return upload.name, content

    def clean_media(self):
        files = self.cleaned_data.get("media") or []
        names = [upload.name for upload in files]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Two media files have the same name."))
        return [(upload.name, upload.read()) for upload in files]


class SubmissionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Submission.Status.choices], required=False
    )


class SubmissionFixForm(forms.Form):
    xml = forms.CharField(label=_("Corrected XML"), widget=forms.Textarea(attrs={"rows": 16, "dir": "ltr"}))
    not_duplicates = forms.BooleanField(
        label=_("I opened the likely matches: these are other people, store them anyway"), required=False
    )
