"""The dashboard's filter: an admin area and a period. Outside the team (analysts) the areas offered stop at
admin level 2, like every output under disclosure control. The HXL export takes the same filter and a format."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hifazat.core.disclosure import PUBLIC_LEVEL, Policy
from hifazat.geography.models import AdminArea


class DashboardFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=AdminArea.objects.none(), required=False, to_field_name="uuid"
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, policy: Policy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = AdminArea.objects.filter(level__gte=1).order_by("level", "name")
        if policy.controlled:
            areas = areas.filter(level__lte=PUBLIC_LEVEL)
        self.fields["area"].queryset = areas
        self.fields["area"].empty_label = _("All areas")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class DashboardExportForm(DashboardFilterForm):
    """The dashboard's filter and the file's format. The file is always under disclosure control, so its areas
    stop at admin level 2 whoever asks."""

    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv", required=True
    )
