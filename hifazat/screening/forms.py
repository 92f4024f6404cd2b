from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hifazat.core.versioning import VersionField
from hifazat.screening.indicators import Catalogue, Section
from hifazat.screening.models import Band, FollowUp, TraffickingStatus

FIELD_PREFIX = "q_"


def field_name(question_id: str) -> str:
    return FIELD_PREFIX + question_id


class ScreeningForm(forms.Form):
    """The answers to every question that applies to the person, one section shown at a time.

    Every answer field is optional to the form, so that moving between sections keeps what was answered; a
    section is checked when the caseworker moves on from it, and all of them before the screening is recorded.
    Only the questions relevant to the answers given are required (the skip logic of the catalogue). The answers
    travel in the POST body between sections (as hidden inputs), never in the URL. The section number, the
    catalogue's checksum and the version of the draft being continued travel beside them.
    """

    version = VersionField()

    def __init__(self, *args, catalogue: Catalogue, sections: list[Section], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            for question in section.questions:
                self.fields[field_name(question.id)] = forms.ChoiceField(
                    label=question.text.get(),
                    choices=[(o.value, o.text.get()) for o in question.options],
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
                )

    def rows_of(
        self, section: Section, relevance: dict[str, bool]
    ) -> list[tuple[forms.BoundField, str, bool]]:
        """The section's questions: each field with its question id and whether it is asked now."""
        return [(self[field_name(q.id)], q.id, relevance.get(q.id, False)) for q in section.questions]

    def carried_fields(
        self, section: Section, relevance: dict[str, bool]
    ) -> list[tuple[forms.BoundField, str]]:
        """The answers given in the other sections to questions asked, carried as hidden inputs."""
        shown = {q.id for q in section.questions}
        return [
            (self[field_name(question_id)], question_id)
            for question_id, value in self.answers().items()
            if question_id not in shown and relevance.get(question_id)
        ]

    def answers(self) -> dict[str, str]:
        """The valid answers given so far (question id to value): posted, or the draft's when resuming."""
        if not self.is_bound:
            return {
                name.removeprefix(FIELD_PREFIX): value
                for name, value in self.initial.items()
                if name.startswith(FIELD_PREFIX) and value
            }
        data = getattr(self, "cleaned_data", {})
        return {
            name.removeprefix(FIELD_PREFIX): value
            for name, value in data.items()
            if name.startswith(FIELD_PREFIX) and value
        }

    def check_section(self, section: Section, relevance: dict[str, bool]) -> bool:
        """Add an error to each unanswered question of ``section`` that is asked; whether all are answered."""
        answers = self.answers()
        complete = True
        for question in section.questions:
            name = field_name(question.id)
            if relevance.get(question.id) and question.id not in answers:
                complete = False
                if name not in self.errors:
                    self.add_error(name, _("Choose an answer."))
        return complete


class ScreeningFilterForm(forms.Form):
    band = forms.ChoiceField(label=_("Band"), required=False, choices=[("", _("All")), *Band.choices])
    red_flags = forms.BooleanField(label=_("Only with red flags"), required=False)


class FollowUpFilterForm(forms.Form):
    ASSIGNED = [("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody"))]

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *FollowUp.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *FollowUp.Kind.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("All")), *((b.value, b.label) for b in Band if b != Band.LOW)],
    )
    assigned = forms.ChoiceField(label=_("Assigned to"), required=False, choices=ASSIGNED)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)


class FollowUpCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(FollowUp.Status.DONE, _("Done")), (FollowUp.Status.CANCELLED, _("Cancelled"))],
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Needed to cancel. Say what was done or why; no names or numbers."),
    )


class TraffickingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Trafficking status"), choices=TraffickingStatus.choices)
