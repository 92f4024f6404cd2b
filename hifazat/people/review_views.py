"""The duplicate review queue and merges, for supervisors (``people.merge``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.web import submitted
from hifazat.people.merge import person_merge, person_unmerge, suspicion_dismiss
from hifazat.people.models import DuplicateSuspicion
from hifazat.people.review_queue import queue_position, review_queue_page
from hifazat.people.selectors import merges_visible_to, suspicions_visible_to


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=gettext_lazy("Keep the record of"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Why they are the same person"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, suspicion: DuplicateSuspicion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        a, b = suspicion.person_a, suspicion.person_b
        self.fields["keep"].choices = [
            ("a", f"{a.full_name} ({a.created_at:%Y-%m-%d})"),
            ("b", f"{b.full_name} ({b.created_at:%Y-%m-%d})"),
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class QueuePageForm(forms.Form):
    """Where in the review queue a page starts (after a pair) or ends (before a pair), as its links give it."""

    after = forms.UUIDField(required=False)
    before = forms.UUIDField(required=False)

    def __init__(self, *args, actor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def _position(self, name: str):
        uuid = self.cleaned_data.get(name)
        if uuid is None:
            return None
        position = queue_position(self.actor, uuid)
        if position is None:
            raise ValidationError(_("This place in the queue does not exist: the first page is shown."))
        return position

    def clean_after(self):
        return self._position("after")

    def clean_before(self):
        return self._position("before")


@requires("people.merge")
def duplicate_list(request):
    """The review queue a page at a time, by position (``people.review_queue``): the same few queries on the first
    page and deep in a queue of tens of thousands of pairs."""
    form = QueuePageForm(request.GET, actor=request.actor)
    where = form.cleaned_data if form.is_valid() else {}
    page = review_queue_page(
        request.actor, size=settings.HIFAZAT_PAGE_SIZE, after=where.get("after"), before=where.get("before")
    )
    return render(
        request,
        "people/duplicate_list.html",
        {"page": page, "form": form, "merges": merges_visible_to(request.actor)[:10]},
    )


@requires("people.merge")
@require_http_methods(["GET", "POST"])
def duplicate_detail(request, uuid):
    suspicion = get_visible_or_404(suspicions_visible_to(request.actor), uuid)
    form = MergeForm(request.POST if request.POST.get("action") == "merge" else None, suspicion=suspicion)
    if request.method == "POST" and request.POST.get("action") == "dismiss":
        suspicion_dismiss(actor=request.actor, suspicion=suspicion)
        messages.success(request, _("Marked as two different people."))
        return redirect("people:duplicate_list")
    a, b = suspicion.person_a, suspicion.person_b
    if response := submitted(
        request,
        form,
        lambda data: person_merge(
            actor=request.actor,
            keep=a if data["keep"] == "a" else b,
            remove=b if data["keep"] == "a" else a,
            reason=data["reason"],
        ),
        done=_("Merged. Every linked record now belongs to the kept person."),
        then=lambda merge: reverse("people:merge_detail", args=[merge.uuid]),
    ):
        return response
    return render(request, "people/duplicate_detail.html", {"suspicion": suspicion, "form": form})


@requires("people.merge")
@require_http_methods(["GET", "POST"])
def merge_detail(request, uuid):
    merge = get_visible_or_404(merges_visible_to(request.actor), uuid)
    form = ReasonForm(request.POST or None)
    if response := submitted(
        request,
        form,
        lambda data: person_unmerge(actor=request.actor, merge=merge, reason=data["reason"]),
        done=_("The merge is undone: both records stand again as before."),
        then=lambda _result: merge.removed,
    ):
        return response
    return render(request, "people/merge_detail.html", {"merge": merge, "form": form})
