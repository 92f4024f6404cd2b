"""Pages of the registry: households, registration with the duplicate check, people, consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hifazat.accounts.selectors import organisations_visible_to
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.audit import audit_list
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import page_of, submitted
from hifazat.people import services, vulnerability
from hifazat.people.duplicates import candidates_for_registration
from hifazat.people.forms import (
    ConsentForm,
    HouseholdEditForm,
    HouseholdFilterForm,
    HouseholdForm,
    PersonEditForm,
    PersonForm,
    PersonSearchForm,
    VulnerabilityForm,
)
from hifazat.people.models import Person, Vulnerability
from hifazat.people.search import person_search
from hifazat.people.selectors import (
    RISK_BAND_FILTER,
    households_visible_to,
    person_timeline,
    persons_visible_to,
    persons_with_identity_number,
    persons_with_phone,
)


@requires("people.view")
def household_list(request):
    households = (
        households_visible_to(request.actor)
        .annotate(member_count=Count("members"))
        .order_by("site__name", "shelter_number")
    )
    form = HouseholdFilterForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["site"]:
        households = households.filter(site=form.cleaned_data["site"])
    context = {
        "form": form,
        "page": page_of(request, households),
        "can_register": request.actor.can("people.register"),
    }
    return render_page_or_partial(
        request, "people/household_list.html", "people/_household_rows.html", context
    )


@requires("people.register")
@require_http_methods(["GET", "POST"])
def household_create(request):
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        household = services.household_register(actor=request.actor, **form.cleaned_data)
        messages.success(request, _("The household is registered. Now register its members, the head first."))
        return redirect("people:person_create", household.uuid)
    return render(request, "people/household_form.html", {"form": form})


@requires("people.view")
def household_detail(request, uuid):
    household = get_visible_or_404(
        households_visible_to(request.actor), uuid, actor=request.actor, audit=True
    )
    members = list(
        household.members.filter(is_active=True, merged_into__isnull=True).prefetch_related(
            Prefetch("vulnerabilities", queryset=Vulnerability.objects.order_by("group"))
        )
    )
    for member in members:
        vulnerability.with_reasons_shown(member, member.vulnerabilities.all(), members)  # no query
    return render(
        request,
        "people/household_detail.html",
        {"household": household, "members": members, "can_register": request.actor.can("people.register")},
    )


@requires("people.register")
@require_http_methods(["GET", "POST"])
def household_edit(request, uuid):
    """Correct a household: site, shelter, origin, arrival date, head. A household changed by someone else
    since the form was loaded is not overwritten: the form comes back with the conflict explained."""
    household = get_visible_or_404(households_visible_to(request.actor), uuid)
    members = household.members.filter(is_active=True, merged_into__isnull=True).order_by("first_name")
    form = HouseholdEditForm(request.POST or None, household=household, members=members)
    if response := submitted(
        request,
        form,
        lambda data: services.household_update(actor=request.actor, household=household, **data),
        done=_("The household is corrected."),
        then=household,
    ):
        return response
    return render(request, "people/household_edit.html", {"form": form, "household": household})


@requires("people.register")
@require_http_methods(["GET", "POST"])
def person_edit(request, uuid):
    """Correct a person's record. Only what changed is written; the vulnerability groups and search keys follow.
    A person changed by someone else since the form was loaded is not overwritten: the form comes back with
    what was typed and the conflict explained."""
    person = get_visible_or_404(persons_visible_to(request.actor).select_related("household__site"), uuid)
    form = PersonEditForm(request.POST or None, person=person)
    if response := submitted(
        request,
        form,
        lambda data: services.person_update(
            actor=request.actor, person=person, version=data["version"], **form.service_arguments()
        ),
        done=lambda _result: _("The record of %(name)s is corrected.") % {"name": person.full_name},
        then=person,
    ):
        return response
    return render(request, "people/person_edit.html", {"form": form, "person": person})


@requires("people.register")
@require_http_methods(["GET", "POST"])
def person_create(request, uuid):
    """Register a member of a household. Before saving, people already registered who may be the same person
    are shown with their score and reasons; the caseworker then saves anyway or opens the existing record."""
    household = get_visible_or_404(households_visible_to(request.actor), uuid)
    form = PersonForm(
        request.POST or None, initial={"relationship_to_head": "" if household.head_id else "head"}
    )
    candidates = []
    if request.method == "POST" and form.is_valid():
        data = form.service_arguments()
        if not form.cleaned_data["confirmed_not_duplicate"]:
            candidates = candidates_for_registration(actor=request.actor, data=data, household=household)
        if not candidates:
            try:
                person = services.person_register(actor=request.actor, household=household, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
                return redirect("people:household_detail", household.uuid)
        else:
            form = PersonForm({**request.POST.dict(), "confirmed_not_duplicate": "on"})
            form.is_valid()
    return render(
        request, "people/person_form.html", {"form": form, "household": household, "candidates": candidates}
    )


def with_risk_band(people, band: str):
    """People whose latest screening is in ``band`` ("none": never screened), through the filter the screening
    part contributes to the ``people.risk_band_filter`` hook (people does not import the part built on it)."""
    for risk_band_filter in RISK_BAND_FILTER:
        people = risk_band_filter(people, band)
    return people


@requires("people.view")
def person_list(request):
    form = PersonSearchForm(request.GET or None, can_see_screenings=request.actor.can("screening.view"))
    people = persons_visible_to(request.actor).select_related("household__site")
    searched = False
    if form.is_valid():
        data = form.cleaned_data
        if data["phone"]:
            people, searched = persons_with_phone(people, data["phone"]), True
        if data["identity_number"]:
            people, searched = persons_with_identity_number(people, data["identity_number"]), True
        if data["site"]:
            people = people.filter(household__site=data["site"])
        if data["group"]:
            people = people.filter(vulnerabilities__group=data["group"]).distinct()
        if data.get("risk_band"):
            people = with_risk_band(people, data["risk_band"])
        if data["q"]:
            people, searched = person_search(people, data["q"]), True
    if not searched:
        people = people.order_by("-created_at")
    people = people.prefetch_related("vulnerabilities")
    page = page_of(request, people)
    # One audit entry per list read: how many people were shown, and which filters (names only) found them.
    used = [name for name, value in form.cleaned_data.items() if value] if form.is_valid() else []
    audit_list(request.actor, Person, count=len(page.object_list), total=page.paginator.count, filters=used)
    return render_page_or_partial(
        request,
        "people/person_list.html",
        "people/_person_rows.html",
        {"form": form, "page": page},
    )


@requires("people.view")
def person_detail(request, uuid):
    """Everything about a person that the user may see, with a timeline. The view is audited."""
    person = get_visible_or_404(
        persons_visible_to(request.actor).select_related("household__site"),
        uuid,
        actor=request.actor,
        audit=True,
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "vulnerabilities": vulnerability.with_reasons_shown(
                person, person.vulnerabilities.order_by("group")
            ),
            "consents": person.consents.select_related("shared_with", "created_by")[:20],
            "timeline": person_timeline(person, request.actor),
            "can_register": request.actor.can("people.register"),
            "can_screen": request.actor.can("screening.run"),
            "vulnerability_form": VulnerabilityForm(),
        },
    )


@requires("people.register")
@require_http_methods(["GET", "POST"])
def consent_create(request, uuid):
    person = get_visible_or_404(persons_visible_to(request.actor), uuid)
    form = ConsentForm(
        request.POST or None,
        organisations=organisations_visible_to(request.actor),
        initial={"given_by": "caregiver" if person.is_child else "self"},
    )
    if response := submitted(
        request,
        form,
        lambda data: services.consent_record(actor=request.actor, person=person, **data),
        done=_("The consent decision is recorded."),
        then=person,
    ):
        return response
    return render(request, "people/consent_form.html", {"form": form, "person": person})


@requires("people.register")
@require_http_methods(["POST"])
def vulnerability_create(request, uuid):
    """Record by hand that the person belongs to a group, with the reason."""
    person = get_visible_or_404(persons_visible_to(request.actor), uuid)
    form = VulnerabilityForm(request.POST)
    if form.is_valid():
        services.vulnerability_record(actor=request.actor, person=person, **form.cleaned_data)
        messages.success(request, _("The group is recorded."))
    else:
        messages.error(request, _("Choose a group and give the reason."))
    return redirect("people:person_detail", person.uuid)
