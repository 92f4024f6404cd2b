"""The audit log page's filters."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hifazat.core.audit import Actor
from hifazat.core.models import AuditEntry
from hifazat.core.selectors import audit_record_uuids


class AuditUserField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.username


class AuditFilterForm(forms.Form):
    """GET filters of the audit log: who, when (from and to, whole days), which action, and which person or case
    (a UUID, or a case number resolved within the actor's organisation only)."""

    user = AuditUserField(
        label=_("Who"), required=False, queryset=get_user_model().objects.none(), to_field_name="uuid"
    )
    date_from = forms.DateField(
        label=pgettext_lazy("start of a date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("end of a date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditEntry.Action.choices]
    )
    record = forms.CharField(
        label=_("Person or case"),
        required=False,
        max_length=60,
        help_text=_("A person's or case's identifier (UUID), or a case number."),
    )

    def __init__(self, *args, actor: Actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        # Who may be chosen: the members, past and present, of the actor's own organisation.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=actor.organisation)
            .distinct()
            .order_by("username")
        )

    def clean_record(self) -> list:
        text = self.cleaned_data["record"].strip()
        if not text:
            return []
        found = audit_record_uuids(self.actor, text)
        if not found:
            # The same answer for a number of another organisation as for one that does not exist.
            raise forms.ValidationError(
                _("No case of your organisation has this number. Type a case number or a UUID.")
            )
        return found

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("This date is before the first date of the range."))
        return cleaned

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """``entries`` narrowed by the valid filters. Dates are whole days in the site's time zone, as a range on
        ``at`` (so the (organisation, at) index serves them)."""
        data = self.cleaned_data
        if data["user"] is not None:
            entries = entries.filter(user=data["user"])
        if data["date_from"]:
            entries = entries.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["record"]:
            entries = entries.filter(object_uuid__in=data["record"])
        return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
