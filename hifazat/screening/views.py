"""Screening pages: the form (one section at a time), the result, the list, and the follow-up queue."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.versioning import EditConflict
from hifazat.core.web import act, go, page_of
from hifazat.people.models import ConsentPurpose
from hifazat.people.selectors import persons_visible_to
from hifazat.people.services import ConsentRequired, consent_allows
from hifazat.screening import indicators, services
from hifazat.screening.forms import (
    FollowUpCloseForm,
    FollowUpFilterForm,
    ScreeningFilterForm,
    ScreeningForm,
    TraffickingStatusForm,
    field_name,
)
from hifazat.screening.indicators import Subject
from hifazat.screening.models import FollowUp
from hifazat.screening.selectors import (
    drafts_visible_to,
    followup_queue,
    followups_visible_to,
    screening_explained,
    screenings_visible_to,
)


def _step(value, count: int) -> int:
    try:
        return min(max(int(value), 1), count)
    except (TypeError, ValueError):
        return 1


def _asked_steps(sections: list, relevance: dict[str, bool]) -> list[int]:
    """The numbers (from 1) of the sections with at least one question asked, given the answers so far."""
    return [n for n, s in enumerate(sections, 1) if any(relevance[q.id] for q in s.questions)]


def _nearest(step: int, asked: list[int], *, forward: bool = True) -> int:
    """``step`` if its section is asked, else the next one asked (or the previous one, going back)."""
    if step in asked or not asked:
        return step
    later = [n for n in asked if n > step] if forward else [n for n in reversed(asked) if n < step]
    return later[0] if later else (asked[-1] if forward else asked[0])


@requires("screening.run")
@require_http_methods(["GET", "POST"])
def screening_create(request, uuid):
    """Screen one person, a section at a time, skipping what the catalogue's skip logic leaves out.

    ``GET ?section=N`` gives section N (the fragment alone to htmx); if the person has a draft, it is resumed.
    Moving on is a POST of the whole form: the section is checked, the answers so far come back as hidden inputs
    (so they never appear in a URL), and the draft is saved, so that a reload or another device resumes it.
    "Save" keeps the draft and stays; "Discard" removes it; the last section's "Record" checks every section
    and records the screening.
    """
    person = get_visible_or_404(persons_visible_to(request.actor).select_related("household__site"), uuid)
    if not consent_allows(person, ConsentPurpose.SCREENING):
        return render(
            request,
            "screening/consent_needed.html",
            {"person": person, "can_record_consent": request.actor.can("people.register")},
        )
    catalogue = indicators.current_catalogue()
    subject = Subject.of(person)
    sections = catalogue.sections_for(subject_is_child=subject.is_child)
    draft = drafts_visible_to(request.actor).filter(person=person).first()
    context = {
        "person": person,
        "catalogue": catalogue,
        "sections": sections,
        "subject": subject,
        # The skip logic for static/screening/relevance.js, in an attribute of the form: htmx drops <script>
        # blocks from the fragments it swaps in (allowScriptTags is off).
        "relevance_json": json.dumps(catalogue.relevance_data(subject)),
    }

    if request.method == "GET":
        initial, draft_version, notice = {}, None, ""
        step = request.GET.get("section")
        if draft is not None:
            kept = catalogue.relevant_answers(subject, draft.answers)
            initial = {field_name(q): value for q, value in kept.items()}
            draft_version = draft.version
            step = step or draft.section
            notice = _("This screening was saved as a draft on %(when)s by %(who)s: it continues here.") % {
                "when": date_format(timezone.localtime(draft.modified_at), "Y-m-d H:i"),
                "who": draft.modified_by.username if draft.modified_by else "—",
            }
        form = ScreeningForm(catalogue=catalogue, sections=sections, initial=initial)
        step = _step(step, len(sections))
        return _render_step(
            request, form, step, {**context, "draft_version": draft_version, "notice": notice}
        )

    form = ScreeningForm(request.POST, catalogue=catalogue, sections=sections)
    form.is_valid()  # every field is optional; this fills cleaned_data with the valid answers
    seen = form.cleaned_data.get("version")
    context["draft_version"] = seen
    step = _step(request.POST.get("section"), len(sections))
    move = request.POST.get("move", "next")
    if request.POST.get("checksum") != catalogue.checksum:
        notice = _("The questions changed while you were screening. Check the answers again.")
        return _render_step(request, form, 1, {**context, "notice": notice})
    if seen is not None and draft is None:  # recorded or discarded by someone else since this page was loaded
        form.add_error(None, EditConflict())
        return _render_step(request, form, step, context)
    own_draft = draft if seen is not None else None
    relevance = catalogue.relevance(subject, form.answers())
    asked = _asked_steps(sections, relevance)

    if move == "discard":
        if own_draft is not None:
            try:
                services.screening_draft_discard(actor=request.actor, draft=own_draft, version=seen)
            except ValidationError as error:
                form.add_error(None, error)
                return _render_step(request, form, step, context)
            messages.success(request, _("The draft screening is discarded."))
        return go(request, person)
    if move in {"back", "next", "save"}:
        notice = ""
        if move == "back":
            step = _nearest(step - 1, asked, forward=False) if step > 1 else step
        elif move == "next" and form.check_section(sections[step - 1], relevance):
            step = _nearest(min(step + 1, len(sections)), asked)
        if form.answers() or own_draft is not None:
            try:
                saved = services.screening_draft_save(
                    actor=request.actor,
                    person=person,
                    answers=form.answers(),
                    section=step,
                    draft=own_draft,
                    version=seen,
                )
            except ConsentRequired:
                return go(request, request.get_full_path())
            except ValidationError as error:
                form.add_error(None, error)
                return _render_step(request, form, _step(request.POST.get("section"), len(sections)), context)
            context["draft_version"] = saved.version
            if move == "save":
                notice = _(
                    "Saved as a draft at %(time)s. It is not a screening yet: resume it from the person's page "
                    "or the screening list, on any device."
                ) % {"time": date_format(timezone.localtime(saved.modified_at), "H:i")}
        return _render_step(request, form, step, {**context, "notice": notice})
    for number in asked:
        if not form.check_section(sections[number - 1], relevance):
            return _render_step(request, form, number, context)
    try:
        screening = services.screening_record(
            actor=request.actor, person=person, answers=form.answers(), draft=own_draft, draft_version=seen
        )
    except ConsentRequired:  # withdrawn while the form was open: the form page now says so
        return go(request, request.get_full_path())
    except ValidationError as error:
        form.add_error(None, error)
        return _render_step(request, form, len(sections), context)
    messages.success(request, _("The screening is recorded."))
    return go(request, screening)


def _render_step(request, form: ScreeningForm, step: int, context: dict):
    sections = context["sections"]
    relevance = context["catalogue"].relevance(context["subject"], form.answers())
    asked = _asked_steps(sections, relevance)
    step = _nearest(step, asked)
    section = sections[step - 1]
    return render_page_or_partial(
        request,
        "screening/screening_form.html",
        "screening/_screening_section.html",
        {
            **context,
            "form": form,
            "step": step,
            "position": asked.index(step) + 1 if step in asked else step,
            "asked_count": len(asked),
            "nav": [(n, s, n in asked) for n, s in enumerate(sections, 1)],
            "section": section,
            "rows": form.rows_of(section, relevance),
            "carried": form.carried_fields(section, relevance),
            "is_last": not [n for n in asked if n > step],
        },
    )


@requires("screening.view")
def screening_detail(request, uuid):
    """The result: score, band, the answers that produced it, red flags, follow-ups. The read is audited."""
    screening = get_visible_or_404(
        screenings_visible_to(request.actor).select_related(
            "person__household__site", "trafficking_status_by"
        ),
        uuid,
        actor=request.actor,
        audit=True,
    )
    can_set_status = request.actor.can("screening.set_trafficking_status")
    return render(
        request,
        "screening/screening_detail.html",
        {
            "screening": screening,
            "person": screening.person,
            "followups": screening.followups.select_related("assigned_to").order_by("due_on"),
            "status_form": TraffickingStatusForm(initial={"status": screening.trafficking_status or None})
            if can_set_status
            else None,
            "today": timezone.localdate(),
            **screening_explained(screening),
        },
    )


@requires("screening.set_trafficking_status")
@require_POST
def trafficking_status(request, uuid):
    screening = get_visible_or_404(screenings_visible_to(request.actor), uuid)
    form = TraffickingStatusForm(request.POST)
    if form.is_valid():
        services.trafficking_status_set(
            actor=request.actor,
            person=screening.person,
            status=form.cleaned_data["status"],
            screening=screening,
        )
        messages.success(
            request, _("The trafficking status is recorded, with you and your organisation as deciding.")
        )
    else:
        messages.error(request, _("Choose a trafficking status."))
    return redirect("screening:screening_detail", screening.uuid)


@requires("screening.view")
def screening_list(request):
    form = ScreeningFilterForm(request.GET or None)
    screenings = screenings_visible_to(request.actor).select_related("person__household__site")
    if form.is_valid():
        if form.cleaned_data["band"]:
            screenings = screenings.filter(band=form.cleaned_data["band"])
        if form.cleaned_data["red_flags"]:
            screenings = screenings.exclude(red_flags=[])
    return render_page_or_partial(
        request,
        "screening/screening_list.html",
        "screening/_screening_rows.html",
        {
            "form": form,
            "page": page_of(request, screenings),
            "drafts": drafts_visible_to(request.actor).select_related("person__household__site")[:50],
        },
    )


@requires("screening.view")
def followup_list(request):
    """The follow-up queue: open tasks unless asked otherwise, most urgent first, then by due date."""
    data = request.GET.copy()
    data.setdefault("status", FollowUp.Status.OPEN)  # open tasks unless another status (or all) is asked for
    form = FollowUpFilterForm(data)
    followups = followup_queue(request.actor)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            followups = followups.filter(status=data["status"])
        if data["kind"]:
            followups = followups.filter(kind=data["kind"])
        if data["priority"]:
            followups = followups.filter(priority=data["priority"])
        if data["assigned"] == "me":
            followups = followups.filter(assigned_to=request.user)
        elif data["assigned"] == "nobody":
            followups = followups.filter(assigned_to__isnull=True)
        if data["overdue"]:
            followups = followups.filter(is_overdue=True)
    return render_page_or_partial(
        request,
        "screening/followup_list.html",
        "screening/_followup_rows.html",
        {
            "form": form,
            "page": page_of(request, followups),
            "close_form": FollowUpCloseForm(),
            "can_close": request.actor.can("screening.run"),
        },
    )


@requires("screening.run")
@require_POST
def followup_close(request, uuid):
    followup = get_visible_or_404(followups_visible_to(request.actor), uuid)

    def close(data):
        if data["outcome"] == FollowUp.Status.CANCELLED:
            services.followup_cancel(actor=request.actor, followup=followup, note=data["note"])
        else:
            services.followup_complete(actor=request.actor, followup=followup, note=data["note"])

    return act(
        request,
        FollowUpCloseForm(request.POST),
        close,
        done=_("The follow-up is closed."),
        back="screening:followup_list",
        invalid=_("Choose an outcome."),
    )
