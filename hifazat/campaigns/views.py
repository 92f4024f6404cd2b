"""Pages of campaigns: the list, a campaign and its figures, the funder's view, the gap list, and key messages with
their review. Activities are in ``activity_views.py``, the public page in ``public.py``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hifazat.accounts.selectors import organisations_visible_to
from hifazat.core import disclosure
from hifazat.core.access import get_visible_or_404, requires
from hifazat.core.htmx import render_page_or_partial
from hifazat.core.web import act, page_of, submitted
from hifazat.people.models import VulnerabilityGroup
from hifazat.screening.models import Band

from . import coverage, selectors, services
from .forms import (
    CampaignEditForm,
    CampaignForm,
    GapFilterForm,
    KeyMessageForm,
    LaunchForm,
    ReviewForm,
    SmsTextForm,
    VersionForm,
    campaign_initial,
)
from .languages import language_name, languages
from .models import Channel, MessageVersion
from .sms import sms_length


def campaign_for(request, uuid):
    return get_visible_or_404(selectors.campaigns_visible_to(request.actor), uuid)


def abilities(actor, campaign) -> dict:
    """What the actor may do on this campaign's pages: the matrix and the campaign's scope together."""
    runs, inside = selectors.runs(actor, campaign), selectors.works_in(actor, campaign)
    return {
        "can_manage": runs and actor.can("campaigns.manage"),
        "can_approve": runs and actor.can("campaigns.approve"),
        "can_record": inside and actor.can("campaigns.record_activity"),
        "can_export": inside and actor.can("campaigns.export_audience"),
        "can_see_gaps": inside and actor.can("campaigns.gaps"),
        "can_see_people": actor.can("people.view"),
    }


def _context(request, campaign, tab: str, **extra) -> dict:
    return {"campaign": campaign, "tab": tab, **abilities(request.actor, campaign), **extra}


@requires("campaigns.aggregates")
def campaign_list(request):
    """Campaigns the user works in; for a funder, the campaigns their organisation funds (figures only)."""
    campaigns = selectors.campaigns_with_figures_visible_to(request.actor).prefetch_related("partners")
    inside = set(selectors.campaigns_visible_to(request.actor).values_list("pk", flat=True))
    rows = [{"campaign": c, "inside": c.pk in inside} for c in campaigns.order_by("-starts_on", "name")]
    return render(
        request,
        "campaigns/campaign_list.html",
        {"rows": rows, "can_create": request.actor.can("campaigns.manage")},
    )


@requires("campaigns.manage")
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None, organisations=organisations_visible_to(request.actor))
    if response := submitted(
        request,
        form,
        lambda data: services.campaign_create(actor=request.actor, **data),
        done=_("The campaign is created. Write its key messages, then record its launch."),
        then=lambda campaign: campaign,
    ):
        return response
    return render(request, "campaigns/campaign_form.html", {"form": form})


@requires("campaigns.manage")
@require_http_methods(["GET", "POST"])
def campaign_edit(request, uuid):
    campaign = campaign_for(request, uuid)
    if not selectors.runs(request.actor, campaign):
        raise PermissionDenied
    form = CampaignEditForm(
        request.POST or None,
        initial=campaign_initial(campaign),
        organisations=organisations_visible_to(request.actor),
        campaign=campaign,
    )
    if response := submitted(
        request,
        form,
        lambda data: services.campaign_update(actor=request.actor, campaign=campaign, **data),
        done=_("The campaign is saved."),
        then=campaign,
    ):
        return response
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@requires("campaigns.manage")
@require_http_methods(["GET", "POST"])
def campaign_launch(request, uuid):
    """Record the launch event: where and when the campaign started."""
    campaign = campaign_for(request, uuid)
    if not selectors.runs(request.actor, campaign):
        raise PermissionDenied
    form = LaunchForm(request.POST or None, sites=selectors.campaign_sites(campaign))
    if response := submitted(
        request,
        form,
        lambda data: services.campaign_launch(actor=request.actor, campaign=campaign, **data),
        done=_("The launch is recorded; the campaign is running."),
        then=campaign,
    ):
        return response
    return render(
        request, "campaigns/campaign_launch.html", _context(request, campaign, "overview", form=form)
    )


@requires("campaigns.view")
def campaign_detail(request, uuid):
    """The campaign with its reach and coverage (exact figures: the user works in it), charts and where next."""
    campaign = campaign_for(request, uuid)
    policy = disclosure.policy_for(request.actor, inside=True)
    figures = coverage.shown(coverage.campaign_figures(campaign), policy=policy)
    context = _context(
        request,
        campaign,
        "overview",
        figures=figures,
        sites=selectors.campaign_sites(campaign),
        partners=campaign.partners.order_by("name"),
        areas=campaign.areas.order_by("name"),
    )
    return render(request, "campaigns/campaign_detail.html", context)


@requires("campaigns.aggregates")
def campaign_figures(request, uuid):
    """The aggregate figures alone, as a funder sees them: for anyone outside the campaign (and analysts),
    through disclosure control (``core.disclosure``)."""
    campaign = get_visible_or_404(selectors.campaigns_with_figures_visible_to(request.actor), uuid)
    inside = request.actor.can("campaigns.view") and selectors.works_in(request.actor, campaign)
    policy = disclosure.policy_for(request.actor, inside=inside and request.GET.get("as") != "funder")
    figures = coverage.shown(coverage.campaign_figures(campaign), policy=policy)
    context = {"campaign": campaign, "figures": figures, "inside": inside, "tab": "figures"}
    if inside:
        context.update(abilities(request.actor, campaign))
    return render(request, "campaigns/campaign_figures.html", context)


@requires("campaigns.gaps")
def gap_list(request, uuid):
    """Registered people in the target groups whom the campaign has not reached, among those the user may see."""
    campaign = campaign_for(request, uuid)
    sites = selectors.campaign_sites(campaign)
    form = GapFilterForm(request.GET or None, campaign=campaign, sites=sites)
    site, group = None, ""
    if form.is_valid():
        site, group = form.cleaned_data["site"], form.cleaned_data["group"]
    people = selectors.gap_list(request.actor, campaign, site=site, group=group)
    sees_risk = request.actor.can("screening.view")
    page = page_of(request, people)
    if sees_risk:
        bands = selectors.latest_bands(list(page.object_list))
        for person in page.object_list:
            person.risk_label = Band(bands[person.pk]).label if person.pk in bands else ""
    context = _context(
        request,
        campaign,
        "gaps",
        form=form,
        page=page,
        sees_risk=sees_risk,
        group_labels=dict(VulnerabilityGroup.choices),
        targets=set(campaign.target_groups),
    )
    return render_page_or_partial(request, "campaigns/gap_list.html", "campaigns/_gap_rows.html", context)


# --- Key messages -----------------------------------------------------------------------------------------------


@requires("campaigns.view")
def campaign_messages(request, uuid):
    campaign = campaign_for(request, uuid)
    key_messages = campaign.messages.prefetch_related("versions").order_by("topic", "title")
    rows = []
    for message in key_messages:
        versions = list(message.versions.all())
        rows.append(
            {
                "message": message,
                "approved": [v for v in versions if v.status == MessageVersion.Status.APPROVED],
                "in_review": sum(v.status == MessageVersion.Status.IN_REVIEW for v in versions),
            }
        )
    return render(
        request, "campaigns/campaign_messages.html", _context(request, campaign, "messages", rows=rows)
    )


@requires("campaigns.manage")
@require_http_methods(["GET", "POST"])
def message_create(request, uuid):
    campaign = campaign_for(request, uuid)
    if not selectors.runs(request.actor, campaign):
        raise PermissionDenied
    form = KeyMessageForm(request.POST or None, campaign=campaign)
    if response := submitted(
        request,
        form,
        lambda data: services.key_message_create(actor=request.actor, campaign=campaign, **data),
        done=_("The key message is added. Now write its text in each language."),
        then=lambda message: message,
    ):
        return response
    return render(request, "campaigns/message_form.html", _context(request, campaign, "messages", form=form))


@requires("campaigns.view")
def message_detail(request, uuid):
    """A key message: for each language and channel, its versions, newest first, with the review step."""
    message = get_visible_or_404(selectors.messages_visible_to(request.actor), uuid)
    versions = message.versions.select_related("created_by", "reviewed_by").order_by(
        "language", "channel", "-number"
    )
    lines: dict[tuple[str, str], list] = {}
    for version in versions:
        lines.setdefault((version.language, version.channel), []).append(version)
    channel_label = dict(Channel.choices)
    order = [language.code for language in languages()]
    variants = [
        {
            "language": language,
            "language_name": language_name(language),
            "channel": channel,
            "channel_label": channel_label[channel],
            "versions": rows,
            "length": sms_length(rows[0].text) if channel == Channel.SMS else None,
        }
        for (language, channel), rows in sorted(
            lines.items(),
            key=lambda item: (
                order.index(item[0][0]) if item[0][0] in order else 99,
                Channel.values.index(item[0][1]),
            ),
        )
    ]
    context = _context(
        request, message.campaign, "messages", message=message, variants=variants, review_form=ReviewForm()
    )
    return render(request, "campaigns/message_detail.html", context)


@requires("campaigns.manage")
@require_http_methods(["GET", "POST"])
def version_write(request, uuid):
    """Write a new version of a key message's text in one language for one channel."""
    message = get_visible_or_404(selectors.messages_visible_to(request.actor), uuid)
    if not selectors.runs(request.actor, message.campaign):
        raise PermissionDenied
    initial = {
        "language": request.GET.get("language", "urd"),
        "channel": request.GET.get("channel", Channel.SESSION),
    }
    latest = message.versions.filter(**initial).order_by("-number").first()
    if latest is not None:
        initial["text"] = latest.text
    form = VersionForm(request.POST or None, initial=initial)
    if response := submitted(
        request,
        form,
        lambda data: services.version_write(actor=request.actor, message=message, **data),
        done=lambda _version: (
            _("The version is sent for review.") if form.cleaned_data["submit"] else _("The draft is saved.")
        ),
        then=message,
    ):
        return response
    text = form["text"].value() or ""
    context = _context(
        request, message.campaign, "messages", message=message, form=form, length=sms_length(text)
    )
    return render(request, "campaigns/version_form.html", context)


@requires("campaigns.manage")
@require_POST
def version_submit(request, uuid):
    version = get_visible_or_404(selectors.versions_visible_to(request.actor), uuid)
    return act(
        request,
        None,
        lambda _data: services.version_submit(actor=request.actor, version=version),
        done=_("The version is sent for review."),
        back=version.message,
    )


@requires("campaigns.approve")
@require_POST
def version_review(request, uuid):
    """Approve a version or return it with a note; the author cannot review their own (four eyes)."""
    version = get_visible_or_404(selectors.versions_visible_to(request.actor), uuid)
    return act(
        request,
        ReviewForm(request.POST),
        lambda data: services.version_review(
            actor=request.actor, version=version, approve=data["decision"] == "approve", note=data["note"]
        ),
        done=_("The review is recorded."),
        back=version.message,
        invalid=_("Choose to approve or to return the version."),
    )


@requires("campaigns.manage")
@require_POST
def sms_length_view(request):
    """The length of a text message as a phone counts it, for the counter beside the text (htmx)."""
    form = SmsTextForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return render(request, "campaigns/_sms_length.html", {"length": sms_length(text)})
